-- The columns and filters shared by every moderation queue ($1 article, $2 section, $3 name).
select p.id, p.status, p.author_name, p.body, p.screening, p.removed_reason, p.created_at,
       t.title as thread_title, t.article_id, a.slug as article_slug, s.slug as section_slug,
       coalesce(r.open_reports, 0) as open_reports
from posts p
join threads t on t.id = p.thread_id
left join articles a on a.id = t.article_id
left join sections s on s.id = a.section_id
left join (
    select post_id, count(*) as open_reports
    from reports where resolved_at is null group by post_id
) r on r.post_id = p.id
where ($1 is null or t.article_id = $1)
  and ($2 is null or s.slug = $2)
  and ($3 is null or lower(p.author_name) = $3)
