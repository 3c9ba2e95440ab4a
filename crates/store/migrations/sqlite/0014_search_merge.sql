-- The FTS5 term index no longer merges its segments in the writer's transaction: with the default
-- (automerge = 4) one write in a few dozen paid for merging the segments of the writes before it,
-- 20–30 ms at 10 million documents. The store's background upkeep task merges instead
-- (`'merge'` command, every second); FTS5's crisis merge (16 segments on a level) still bounds the
-- index should that task not run. Twin of ../postgres/0014_search_merge.sql (nothing to do there).
insert into search_fts (search_fts, rank) values ('automerge', 0);
