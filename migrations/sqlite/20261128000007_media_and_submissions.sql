-- Uploaded images, always re-encoded by the server (which drops EXIF and GPS data), kept in
-- the database so that every node serves them. Each upload has a few widths for srcset.
create table media (
    id integer primary key,
    -- SHA-256 of the uploaded bytes, to spot the same photo uploaded twice
    source_hash text not null,
    width bigint not null,
    height bigint not null,
    -- public images (lead images) are served to anyone; readers' photos only to editors
    public boolean not null default false,
    uploaded_by bigint references users (id) on delete set null,
    created_at bigint not null
);

create table media_variants (
    media_id bigint not null references media (id) on delete cascade,
    -- the variant's width in pixels
    width bigint not null,
    height bigint not null,
    -- image/jpeg
    content_type text not null,
    bytes blob not null,
    primary key (media_id, width)
);

alter table articles add column lead_image_id bigint references media (id) on delete set null;
alter table articles add column lead_image_alt text not null default '';
alter table articles add column lead_image_caption text not null default '';

-- "Send your stories": what readers send the newsroom.
create table submissions (
    id integer primary key,
    name text not null,
    -- for the editors' reply; never shown publicly
    email text not null,
    headline text not null,
    body text not null,
    -- new | read | rejected | drafted
    status text not null default 'new',
    -- an editor's note, e.g. why it was rejected
    note text not null default '',
    ip_hash text not null,
    -- the screening's findings, as for comments
    screening text not null default '{}',
    -- the draft made from it
    article_id bigint references articles (id) on delete set null,
    created_at bigint not null,
    decided_at bigint
);
create index submissions_status on submissions (status, created_at desc);
create index submissions_ip_recent on submissions (ip_hash, created_at);

create table submission_photos (
    submission_id bigint not null references submissions (id) on delete cascade,
    media_id bigint not null references media (id) on delete cascade,
    position bigint not null default 0,
    primary key (submission_id, media_id)
);
