-- The search index: our own inverted index, the same on both engines, so that one query gives
-- the same results on SQLite and PostgreSQL. Terms are lower-cased words, and for Chinese single
-- characters and overlapping pairs, so that one- and two-character queries (网, 外交) find
-- their articles.
create table search_terms (
    term text not null,
    article_id bigint not null references articles (id) on delete cascade,
    -- occurrences, weighted by where they occur (headline, summary, body)
    weight bigint not null,
    primary key (term, article_id)
);
create index search_terms_article on search_terms (article_id);
