-- Twin of ../sqlite/0014_search_merge.sql, which configures SQLite's FTS5 term index. The GIN index of
-- PostgreSQL keeps its own pending list (fastupdate), merged by autovacuum: nothing to change here.
select 1;
