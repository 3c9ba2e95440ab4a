-- French full-text search over transmissions and professional notes. Twin of ../sqlite/0012_search.sql
-- (same tables, columns and constraint names; the engines differ only in the term index).
--
-- See the SQLite twin for the columns. Here the term index is a GIN index over the terms taken as
-- lexemes as they are (array_to_tsvector: no parser, no dictionary), so a `::tsquery` of the same
-- terms matches exactly what SQLite's FTS5 matches.
create table search_doc (
    organisation_id uuid not null,
    seq bigint not null,
    kind text not null,
    doc_id uuid not null,
    usager_id uuid not null,
    scope text not null,
    profession text,
    written_by uuid not null,
    written_at bigint not null,
    terms text not null,
    constraint search_doc_pk primary key (seq),
    constraint search_doc_doc_uq unique (organisation_id, kind, doc_id),
    constraint search_doc_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id),
    constraint search_doc_kind_ck check (kind in ('transmission', 'ecrit'))
);
create index search_doc_usager_ix on search_doc (organisation_id, usager_id, seq);
create index search_doc_terms_ix on search_doc using gin (array_to_tsvector(string_to_array(terms, ' ')));
