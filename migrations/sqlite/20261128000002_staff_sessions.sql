-- Staff sessions, kept in the database so that any node can serve any request.
create table sessions (
    -- SHA-256 of the cookie's token, hex: a leaked table does not give working cookies
    id text primary key,
    user_id bigint not null references users (id) on delete cascade,
    -- synchroniser token for this session's forms
    csrf_token text not null,
    created_at bigint not null,
    last_seen_at bigint not null,
    expires_at bigint not null
);
create index sessions_user on sessions (user_id);

-- Failed logins, per account and per keyed hash of the address, for throttling.
create table login_failures (
    id integer primary key,
    -- 'email:<address>' or 'ip:<keyed hash>'
    throttle_key text not null,
    at bigint not null
);
create index login_failures_key_at on login_failures (throttle_key, at);

-- Server secrets shared by every node (e.g. the key for hashing addresses), made on first use.
create table secrets (
    name text primary key,
    value text not null,
    created_at bigint not null
);
