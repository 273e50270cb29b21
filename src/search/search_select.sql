select a.id, a.title, a.summary, a.body_md, a.slug, s.slug as section_slug,
       s.name as section_name, a.published_at, m.score
from matched m
join articles a on a.id = m.article_id
join sections s on s.id = a.section_id
where a.status = 'published'
  and ($3 is null or s.slug = $3)
  and ($4 is null or a.published_at >= $4)
  and ($5 is null or a.published_at < $5)
order by m.score desc, a.published_at desc, a.id desc
limit $6 offset $7
