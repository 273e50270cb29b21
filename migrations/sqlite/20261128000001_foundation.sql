-- Sections: the site's navigation and the blocks of the home page.
create table sections (
    id integer primary key,
    slug text not null unique,
    name text not null,
    -- order in the navigation, lowest first
    position bigint not null default 0,
    hidden boolean not null default false,
    created_at bigint not null
);

create table articles (
    id integer primary key,
    section_id bigint not null references sections (id),
    -- unique across the site, so that a slug alone finds an article after a section change
    slug text not null unique,
    title text not null,
    summary text not null default '',
    body_md text not null default '',
    -- body_md rendered and sanitised when saved, never at read time
    body_html text not null default '',
    source text not null default '',
    byline text not null default '',
    -- draft | published (validated by the content area)
    status text not null default 'draft',
    published_at bigint,
    created_at bigint not null,
    updated_at bigint not null,
    -- comments a reader can see, kept by the discussion area
    comment_count bigint not null default 0
);
create index articles_listing on articles (status, published_at desc, id desc);
create index articles_section_listing on articles (section_id, status, published_at desc, id desc);

create table tags (
    id integer primary key,
    slug text not null unique,
    name text not null
);

create table article_tags (
    article_id bigint not null references articles (id) on delete cascade,
    tag_id bigint not null references tags (id) on delete cascade,
    primary key (article_id, tag_id)
);
create index article_tags_tag on article_tags (tag_id, article_id);

-- Paths an article was published under before its slug or section changed: they answer 301.
create table article_redirects (
    path text primary key,
    article_id bigint not null references articles (id) on delete cascade,
    created_at bigint not null
);

-- Site settings as key/value text (JSON where structured).
create table settings (
    key text primary key,
    value text not null
);

create table users (
    id integer primary key,
    -- stored lower-cased
    email text not null unique,
    name text not null,
    -- admin | editor | moderator
    role text not null,
    -- argon2id PHC string
    password_hash text not null,
    disabled boolean not null default false,
    created_at bigint not null
);

-- The six sections of the portal Broadsheet is modelled on; editors may change them.
insert into sections (slug, name, position, created_at) values
    ('video', 'Video', 1, 0),
    ('china', 'China', 2, 0),
    ('world', 'World', 3, 0),
    ('entertainment', 'Entertainment', 4, 0),
    ('sports', 'Sports', 5, 0),
    ('lifestyle', 'Lifestyle', 6, 0);
