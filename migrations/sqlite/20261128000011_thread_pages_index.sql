-- A thread's pages count its visible top-level comments from the newest. With the status in
-- the index, skipping to page 1,000 of a 50,000-comment discussion reads index entries only,
-- never the comments themselves.
drop index posts_thread_top;
create index posts_thread_top on posts (thread_id, depth, id, status);
