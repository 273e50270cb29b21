-- Reader discussion. Comments under articles and forum posts are one model: a post belongs to
-- a thread; an article's comments are the thread whose article_id is the article.

-- Forum boards. Article discussions live in a board too, so the forum lists them as topics.
create table boards (
    id integer primary key,
    slug text not null unique,
    name text not null,
    description text not null default '',
    position bigint not null default 0,
    -- readers may start topics here
    open_to_readers boolean not null default true,
    created_at bigint not null
);

create table threads (
    id integer primary key,
    board_id bigint not null references boards (id),
    -- set for an article's comment thread, null for a forum topic
    article_id bigint unique references articles (id) on delete cascade,
    title text not null,
    -- open | closed
    status text not null default 'open',
    -- published posts in the thread, kept with every status change
    post_count bigint not null default 0,
    created_at bigint not null,
    last_post_at bigint not null
);
create index threads_board_recent on threads (board_id, last_post_at desc, id desc);

create table posts (
    id integer primary key,
    thread_id bigint not null references threads (id) on delete cascade,
    -- the post this one answers, null at the top level
    parent_id bigint references posts (id),
    -- the top-level post of this post's branch (itself at the top level)
    root_id bigint,
    -- 0 at the top level
    depth bigint not null default 0,
    author_name text not null,
    -- never shown, never put in a page; for the moderator's reply only
    author_email text,
    -- the reader's text exactly as sent; escaped when rendered
    body text not null,
    -- SHA-256 of the normalised body, for duplicate detection
    body_hash text not null,
    -- published | held | removed
    status text not null,
    -- why a moderator removed it: racist | abusive | off-topic | spam | other
    removed_reason text,
    -- keyed, daily-rotating hash of the sender's address (see privacy.rs)
    ip_hash text not null,
    -- JSON: the screening's verdict, reasons and scores, shown to moderators
    screening text not null default '{}',
    created_at bigint not null,
    published_at bigint,
    decided_at bigint
);
create index posts_thread_root on posts (thread_id, root_id, id);
create index posts_thread_top on posts (thread_id, depth, id);
create index posts_status_created on posts (status, created_at desc);
create index posts_ip_recent on posts (ip_hash, created_at);
create index posts_name_recent on posts (author_name, created_at);

-- Word lists the screening uses, editable by the site: `hold` sends a post to the queue,
-- `refuse` turns it away with a reason.
create table screening_words (
    id integer primary key,
    word text not null unique,
    action text not null,
    created_at bigint not null
);

-- CAPTCHA solutions already used: each is accepted once.
create table captcha_spent (
    id text primary key,
    expires_at bigint not null
);
create index captcha_spent_expiry on captcha_spent (expires_at);

-- Moderation mode per section: pre | post | first-time | closed; null follows the site.
alter table sections add column moderation_mode text;

insert into boards (slug, name, description, position, open_to_readers, created_at) values
    ('articles', 'Article discussions', 'Readers'' comments on our stories.', 1, false, 0),
    ('general', 'General', 'Talk about the news, the site, anything civil.', 2, true, 0);

-- A starting word list: insults and slurs aimed at people, English and Chinese. Never names,
-- places or opinions. Editors of the site add and remove entries.
insert into screening_words (word, action, created_at) values
    ('idiot', 'hold', 0), ('moron', 'hold', 0), ('imbecile', 'hold', 0), ('scumbag', 'hold', 0),
    ('asshole', 'hold', 0), ('bitch', 'hold', 0), ('bastard', 'hold', 0), ('dickhead', 'hold', 0),
    ('fuck', 'hold', 0), ('fucking', 'hold', 0), ('fuck you', 'hold', 0), ('shut up', 'hold', 0),
    ('cunt', 'refuse', 0), ('kill yourself', 'refuse', 0), ('kys', 'refuse', 0),
    ('nigger', 'refuse', 0), ('faggot', 'refuse', 0), ('kike', 'refuse', 0), ('chink', 'refuse', 0),
    ('spic', 'refuse', 0), ('wetback', 'refuse', 0), ('tranny', 'refuse', 0),
    ('傻逼', 'hold', 0), ('煞笔', 'hold', 0), ('脑残', 'hold', 0), ('白痴', 'hold', 0),
    ('贱人', 'hold', 0), ('滚蛋', 'hold', 0), ('去死', 'hold', 0), ('婊子', 'hold', 0),
    ('操你妈', 'refuse', 0), ('草泥马', 'hold', 0), ('你妈死了', 'refuse', 0),
    ('支那', 'refuse', 0), ('黑鬼', 'refuse', 0), ('尼哥', 'refuse', 0);
