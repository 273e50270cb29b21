-- Single-use, expiring links to set a password, issued by an admin (and, once mail exists, by
-- e-mail). Only the SHA-256 of the token is kept.
create table password_resets (
    token_hash text primary key,
    user_id bigint not null references users (id) on delete cascade,
    created_by bigint references users (id) on delete set null,
    created_at bigint not null,
    expires_at bigint not null,
    used_at bigint
);
create index password_resets_user on password_resets (user_id);
