-- The search index, kept in rank order so that a query reads only the best postings of each
-- term instead of adding up every posting (a common word is in hundreds of thousands of
-- stories). Only published stories are indexed; each posting carries its story's publication
-- time and section, so that ordering and filters need not visit the articles table.
create table search_postings (
    term text not null,
    article_id bigint not null references articles (id) on delete cascade,
    -- occurrences, weighted by where they occur (headline, summary, body)
    weight bigint not null,
    published_at bigint not null,
    section_id bigint not null,
    -- the weight rides along, so that looking a story up in a term's list never leaves the index
    primary key (term, article_id) include (weight)
);
-- Read backwards, a term's postings best first: weight, then newest, then highest id — the
-- order results are shown in. The section rides along so the scan never leaves the index.
create index search_postings_rank on search_postings (term, weight, published_at, article_id, section_id);
create index search_postings_article on search_postings (article_id);

insert into search_postings (term, article_id, weight, published_at, section_id)
select t.term, t.article_id, t.weight, a.published_at, a.section_id
from search_terms t join articles a on a.id = t.article_id
where a.status = 'published' and a.published_at is not null;

drop table search_terms;
