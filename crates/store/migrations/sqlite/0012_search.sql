-- French full-text search over transmissions and professional notes. Twin of ../postgres/0012_search.sql
-- (same tables, columns and constraint names; the engines differ only in the term index).
--
-- One row per searchable document: who it is about and who may read it (`scope`: the transmission's
-- category or the note's visibility, `profession`: the note author's profession), and its index
-- terms, computed in Rust (parcours_domain::search: folded Snowball French stems, space-separated),
-- so that both engines match exactly the same terms. `seq` orders the documents newest first: it is
-- the writing time in microseconds, moved up by one microsecond on the rare collision.
-- This table is an index, not a record: it is rebuilt from the records by `parcours search-reindex`.
create table search_doc (
    organisation_id blob not null,
    seq integer not null,
    kind text not null,
    doc_id blob not null,
    usager_id blob not null,
    scope text not null,
    profession text,
    written_by blob not null,
    written_at integer not null,
    terms text not null,
    constraint search_doc_pk primary key (seq),
    constraint search_doc_doc_uq unique (organisation_id, kind, doc_id),
    constraint search_doc_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id),
    constraint search_doc_kind_ck check (kind in ('transmission', 'ecrit'))
) strict;
create index search_doc_usager_ix on search_doc (organisation_id, usager_id, seq);

-- The term index: an FTS5 table over search_doc.terms (external content, rowid = seq), kept in step
-- by the triggers below. The terms are already folded ASCII words; detail=none keeps it small (no
-- phrase search is offered).
create virtual table search_fts using fts5(terms, content = 'search_doc', content_rowid = 'seq', detail = none);

create trigger search_doc_ai after insert on search_doc
begin
    insert into search_fts (rowid, terms) values (new.seq, new.terms);
end;
create trigger search_doc_ad after delete on search_doc
begin
    insert into search_fts (search_fts, rowid, terms) values ('delete', old.seq, old.terms);
end;
create trigger search_doc_au after update on search_doc
begin
    insert into search_fts (search_fts, rowid, terms) values ('delete', old.seq, old.terms);
    insert into search_fts (rowid, terms) values (new.seq, new.terms);
end;
