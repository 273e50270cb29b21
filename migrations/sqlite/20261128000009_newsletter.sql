-- The newsletter: readers who asked for a digest of new stories, with double opt-in.
create table subscribers (
    id integer primary key,
    -- lower-cased; one row per address, whatever its state
    email text not null unique,
    -- daily | weekly
    frequency text not null,
    -- pending (asked, not confirmed) | active | unsubscribed
    status text not null,
    -- SHA-256 of the single-use confirmation link's token; kept after use so that a second
    -- click can be told "already confirmed" rather than "unknown link"
    confirm_hash text unique,
    confirm_expires_at bigint,
    -- when we last mailed this address because someone asked (sign-up, repeat sign-up),
    -- to stop the form being used to flood an inbox
    prompted_at bigint,
    -- the keyed hash of the address that signed up, for a per-connection limit
    signup_ip_hash text not null default '',
    created_at bigint not null,
    confirmed_at bigint,
    unsubscribed_at bigint,
    -- stories published after this go into the subscriber's next digest
    digest_from bigint
);

create index subscribers_digest on subscribers (status, frequency, id);
create index subscribers_signup_ip on subscribers (signup_ip_hash, prompted_at);

-- The sections a subscriber chose; none means every section.
create table subscriber_sections (
    subscriber_id bigint not null references subscribers (id) on delete cascade,
    section_id bigint not null references sections (id) on delete cascade,
    primary key (subscriber_id, section_id)
);

-- Admins look for mail that is waiting or failing.
create index jobs_kind_open on jobs (kind, done_at);
