-- Écrits professionnels. Twin of ../postgres/0010_ecrits.sql (same tables, columns and constraint names).

-- A note: what never changes (person, author and the author's profession when it was written, first
-- time) and what lists filter on (current type and scope, kept here so that the scope filter runs in
-- SQL without reading the versions). Its content is in ecrit_version; `version` names the current one
-- (raised by a correction, compared on write so that concurrent corrections conflict). A withdrawal
-- fills the three withdrawal columns once; the note is never deleted.
create table ecrit (
    organisation_id blob not null,
    id blob not null,
    usager_id blob not null,
    kind text not null,
    scope text not null,
    author_profession text not null,
    version integer not null,
    written_at integer not null,
    written_by blob not null,
    updated_at integer not null,
    withdrawn_at integer,
    withdrawn_by blob,
    withdrawal_reason text,
    constraint ecrit_pk primary key (organisation_id, id),
    constraint ecrit_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id),
    constraint ecrit_author_fk foreign key (organisation_id, written_by) references user_account (organisation_id, id),
    constraint ecrit_scope_ck check (scope in ('equipe', 'encadrement', 'profession')),
    constraint ecrit_version_ck check (version >= 1),
    constraint ecrit_withdrawal_ck check (
        (withdrawn_at is null and withdrawn_by is null and withdrawal_reason is null)
        or (withdrawn_at is not null and withdrawn_by is not null and length(withdrawal_reason) > 0))
) strict;
-- A person's notes, newest first (keyset on written_at, id).
create index ecrit_usager_ix on ecrit (organisation_id, usager_id, written_at, id);

-- Every version of a note, the first included: append-only. Notes keep their versions here, never in
-- record_version, so the shared history of the record never shows a note outside its scope.
create table ecrit_version (
    organisation_id blob not null,
    ecrit_id blob not null,
    version integer not null,
    kind text not null,
    title text not null,
    body text not null,
    event_date text not null,
    scope text not null,
    reason text,
    written_at integer not null,
    written_by blob not null,
    constraint ecrit_version_pk primary key (organisation_id, ecrit_id, version),
    constraint ecrit_version_ecrit_fk foreign key (organisation_id, ecrit_id) references ecrit (organisation_id, id),
    constraint ecrit_version_scope_ck check (scope in ('equipe', 'encadrement', 'profession')),
    constraint ecrit_version_title_ck check (length(title) > 0),
    constraint ecrit_version_body_ck check (length(body) > 0)
) strict;

create trigger ecrit_version_no_update before update on ecrit_version
begin
    select raise(abort, 'ecrit_version is append-only');
end;
create trigger ecrit_version_no_delete before delete on ecrit_version
begin
    select raise(abort, 'ecrit_version is append-only');
end;
create trigger ecrit_no_delete before delete on ecrit
begin
    select raise(abort, 'ecrit is never deleted');
end;
