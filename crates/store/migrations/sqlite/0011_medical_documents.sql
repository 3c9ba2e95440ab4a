-- Medical documents of the medical file (under medical secret). Twin of ../postgres/0011_medical_documents.sql
-- (same tables, columns and constraint names).
--
-- Three tables so that lists never load the bytes: the document (what never changes, its current version and
-- its withdrawal), every version of its metadata (append-only), and the files themselves (append-only). A
-- metadata correction is a new version pointing at the same file; a replacement is a new version pointing at a
-- new file, so every earlier file stays downloadable.

create table medical_document_content (
    organisation_id blob not null,
    id blob not null,
    usager_id blob not null,
    media_type text not null,
    size_bytes integer not null,
    sha256 text not null,
    filename text not null,
    bytes blob not null,
    created_at integer not null,
    created_by blob not null,
    constraint medical_document_content_pk primary key (organisation_id, id),
    constraint medical_document_content_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id),
    constraint medical_document_content_type_ck check (media_type in ('application/pdf', 'image/jpeg', 'image/png')),
    constraint medical_document_content_size_ck check (size_bytes > 0 and size_bytes <= 10485760)
) strict;

-- `version` names the current version (raised by a correction or a replacement, compared on write so that
-- concurrent changes conflict). Withdrawal fills the withdrawn_* columns once; the row is never deleted.
create table medical_document (
    organisation_id blob not null,
    id blob not null,
    usager_id blob not null,
    version integer not null,
    created_at integer not null,
    created_by blob not null,
    updated_at integer not null,
    withdrawn_at integer,
    withdrawn_by blob,
    withdraw_reason text,
    constraint medical_document_pk primary key (organisation_id, id),
    constraint medical_document_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id),
    constraint medical_document_version_ck check (version >= 1)
) strict;
-- A person's documents, newest first.
create index medical_document_usager_ix on medical_document (organisation_id, usager_id, created_at, id);

-- Every version of a document's metadata, the first included: append-only.
create table medical_document_version (
    organisation_id blob not null,
    document_id blob not null,
    version integer not null,
    doc_type text not null,
    title text not null,
    document_date text not null,
    content_id blob not null,
    reason text,
    written_at integer not null,
    written_by blob not null,
    constraint medical_document_version_pk primary key (organisation_id, document_id, version),
    constraint medical_document_version_document_fk foreign key (organisation_id, document_id)
        references medical_document (organisation_id, id),
    constraint medical_document_version_content_fk foreign key (organisation_id, content_id)
        references medical_document_content (organisation_id, id),
    constraint medical_document_version_title_ck check (length(title) > 0)
) strict;

create trigger medical_document_no_delete before delete on medical_document
begin
    select raise(abort, 'medical_document is never deleted');
end;
create trigger medical_document_version_no_update before update on medical_document_version
begin
    select raise(abort, 'medical_document_version is append-only');
end;
create trigger medical_document_version_no_delete before delete on medical_document_version
begin
    select raise(abort, 'medical_document_version is append-only');
end;
create trigger medical_document_content_no_update before update on medical_document_content
begin
    select raise(abort, 'medical_document_content is append-only');
end;
create trigger medical_document_content_no_delete before delete on medical_document_content
begin
    select raise(abort, 'medical_document_content is append-only');
end;
