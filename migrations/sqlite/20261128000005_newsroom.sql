-- The newsroom: scheduling, "updated" notes, revisions, corrections and durable jobs.

-- draft | scheduled | published | unpublished (validated by the content area)
alter table articles add column scheduled_at bigint;
-- when an editor marked a substantive update; shown as "Updated …"
alter table articles add column updated_note_at bigint;
-- the number of the latest revision: an edit made against an older one is a conflict
alter table articles add column revision bigint not null default 0;

-- Every save keeps a revision.
create table revisions (
    id integer primary key,
    article_id bigint not null references articles (id) on delete cascade,
    number bigint not null,
    title text not null,
    summary text not null,
    body_md text not null,
    section_id bigint not null,
    slug text not null,
    source text not null,
    byline text not null,
    -- JSON array of tag names
    tags text not null default '[]',
    status text not null,
    author_id bigint references users (id) on delete set null,
    created_at bigint not null,
    unique (article_id, number)
);

-- Corrections stay visible under the article, dated.
create table corrections (
    id integer primary key,
    article_id bigint not null references articles (id) on delete cascade,
    body text not null,
    author_id bigint references users (id) on delete set null,
    created_at bigint not null
);
create index corrections_article on corrections (article_id, created_at);

-- Durable background jobs, claimed by one node at a time and retried with back-off.
create table jobs (
    id integer primary key,
    -- what to do, e.g. 'publish-article'
    kind text not null,
    -- JSON arguments
    payload text not null default '{}',
    run_at bigint not null,
    attempts bigint not null default 0,
    -- a claimed job is someone's until then; a crashed node's claim runs out
    locked_until bigint,
    locked_by text,
    done_at bigint,
    last_error text,
    -- the same logical job is queued once
    dedupe_key text unique,
    created_at bigint not null
);
create index jobs_due on jobs (done_at, run_at);
