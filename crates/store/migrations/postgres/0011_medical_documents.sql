-- Medical documents of the medical file (under medical secret). Twin of ../sqlite/0011_medical_documents.sql
-- (same tables, columns and constraint names).
--
-- Three tables so that lists never load the bytes: the document (what never changes, its current version and
-- its withdrawal), every version of its metadata (append-only), and the files themselves (append-only). A
-- metadata correction is a new version pointing at the same file; a replacement is a new version pointing at a
-- new file, so every earlier file stays downloadable.

create table medical_document_content (
    organisation_id uuid not null,
    id uuid not null,
    usager_id uuid not null,
    media_type text not null,
    size_bytes bigint not null,
    sha256 text not null,
    filename text not null,
    bytes bytea not null,
    created_at bigint not null,
    created_by uuid not null,
    constraint medical_document_content_pk primary key (organisation_id, id),
    constraint medical_document_content_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id),
    constraint medical_document_content_type_ck check (media_type in ('application/pdf', 'image/jpeg', 'image/png')),
    constraint medical_document_content_size_ck check (size_bytes > 0 and size_bytes <= 10485760)
);

-- `version` names the current version (raised by a correction or a replacement, compared on write so that
-- concurrent changes conflict). Withdrawal fills the withdrawn_* columns once; the row is never deleted.
create table medical_document (
    organisation_id uuid not null,
    id uuid not null,
    usager_id uuid not null,
    version bigint not null,
    created_at bigint not null,
    created_by uuid not null,
    updated_at bigint not null,
    withdrawn_at bigint,
    withdrawn_by uuid,
    withdraw_reason text,
    constraint medical_document_pk primary key (organisation_id, id),
    constraint medical_document_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id),
    constraint medical_document_version_ck check (version >= 1)
);
-- A person's documents, newest first.
create index medical_document_usager_ix on medical_document (organisation_id, usager_id, created_at, id);

-- Every version of a document's metadata, the first included: append-only.
create table medical_document_version (
    organisation_id uuid not null,
    document_id uuid not null,
    version bigint not null,
    doc_type text not null,
    title text not null,
    document_date text not null,
    content_id uuid not null,
    reason text,
    written_at bigint not null,
    written_by uuid not null,
    constraint medical_document_version_pk primary key (organisation_id, document_id, version),
    constraint medical_document_version_document_fk foreign key (organisation_id, document_id)
        references medical_document (organisation_id, id),
    constraint medical_document_version_content_fk foreign key (organisation_id, content_id)
        references medical_document_content (organisation_id, id),
    constraint medical_document_version_title_ck check (length(title) > 0)
);
-- Large files stay in the table's TOAST storage; they are never compressed twice (PDF, JPEG and PNG are).
alter table medical_document_content alter column bytes set storage external;

create function medical_document_append_only() returns trigger language plpgsql as $$
begin
    raise exception '% is append-only', tg_table_name;
end;
$$;
create trigger medical_document_no_delete before delete on medical_document
    for each row execute function medical_document_append_only();
create trigger medical_document_version_no_update before update on medical_document_version
    for each row execute function medical_document_append_only();
create trigger medical_document_version_no_delete before delete on medical_document_version
    for each row execute function medical_document_append_only();
create trigger medical_document_content_no_update before update on medical_document_content
    for each row execute function medical_document_append_only();
create trigger medical_document_content_no_delete before delete on medical_document_content
    for each row execute function medical_document_append_only();
create trigger medical_document_version_no_truncate before truncate on medical_document_version
    for each statement execute function medical_document_append_only();
create trigger medical_document_content_no_truncate before truncate on medical_document_content
    for each statement execute function medical_document_append_only();
