-- Every moderation decision: who, when, what, why.
create table moderation_log (
    id integer primary key,
    post_id bigint references posts (id) on delete set null,
    moderator_id bigint references users (id) on delete set null,
    -- approve | remove | restore | ban | lift-ban | dismiss-reports
    action text not null,
    -- racist | abusive | off-topic | spam | other, for removals and bans
    reason text,
    note text not null default '',
    created_at bigint not null
);
create index moderation_log_recent on moderation_log (created_at desc, id desc);
create index moderation_log_post on moderation_log (post_id);

-- Bans by name or by address. An address is kept as the keyed hash of the day it was seen
-- (hash_day); a new request is compared by hashing its address for that same day.
create table bans (
    id integer primary key,
    -- name | address
    kind text not null,
    -- lower-cased name, or the address hash
    value text not null,
    -- for address bans: the day (Unix days) the hash was made for
    hash_day bigint,
    reason text not null,
    post_id bigint references posts (id) on delete set null,
    created_by bigint references users (id) on delete set null,
    created_at bigint not null,
    expires_at bigint not null,
    lifted_at bigint
);
create index bans_active on bans (kind, value, expires_at);

-- Readers' reports of comments.
create table reports (
    id integer primary key,
    post_id bigint not null references posts (id) on delete cascade,
    -- abusive | racist | off-topic | spam | other
    reason text not null,
    note text not null default '',
    ip_hash text not null,
    created_at bigint not null,
    resolved_at bigint
);
create index reports_open on reports (resolved_at, post_id);

-- The spam classifier's counts, learned from moderators' decisions.
create table classifier_tokens (
    token text primary key,
    ham bigint not null default 0,
    spam bigint not null default 0
);
create table classifier_totals (
    id bigint primary key,
    ham_docs bigint not null default 0,
    spam_docs bigint not null default 0
);
insert into classifier_totals (id, ham_docs, spam_docs) values (1, 0, 0);
