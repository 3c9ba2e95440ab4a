-- The cahier de liaison: messages to a unit, a team of an establishment or about a person, with
-- their versions, read receipts and follow-up items. Twin of ../postgres/0009_liaison.sql (same
-- tables, columns and constraint names).

-- A message: what never changes (destination, first author and time) and its current state.
-- `destination` says which of `unite_id` (unite), `etablissement_id` + `equipe` (equipe) or
-- `usager_id` (usager) names it; `etablissement_id` is also the unit's establishment. `version` names
-- the current content in liaison_message_version (compared on write: concurrent corrections
-- conflict). A removal (retrait) fills the three removed_* columns once; the row is never deleted.
create table liaison_message (
    organisation_id blob not null,
    id blob not null,
    destination text not null,
    etablissement_id blob,
    unite_id blob,
    equipe text,
    usager_id blob,
    important integer not null,
    version integer not null,
    written_at integer not null,
    written_by blob not null,
    updated_at integer not null,
    removed_at integer,
    removed_by blob,
    removed_reason text,
    constraint liaison_message_pk primary key (organisation_id, id),
    constraint liaison_message_etablissement_fk foreign key (organisation_id, etablissement_id) references etablissement (organisation_id, id),
    constraint liaison_message_unite_fk foreign key (organisation_id, unite_id) references unite (organisation_id, id),
    constraint liaison_message_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id),
    constraint liaison_message_author_fk foreign key (organisation_id, written_by) references user_account (organisation_id, id),
    constraint liaison_message_destination_ck check (
        (destination = 'unite' and etablissement_id is not null and unite_id is not null and equipe is null and usager_id is null)
        or (destination = 'equipe' and etablissement_id is not null and unite_id is null and usager_id is null
            and equipe in ('soignante', 'educative', 'administrative', 'encadrement', 'etablissement'))
        or (destination = 'usager' and usager_id is not null and etablissement_id is null and unite_id is null and equipe is null)),
    constraint liaison_message_version_ck check (version >= 1),
    constraint liaison_message_removed_ck check (
        (removed_at is null and removed_by is null and removed_reason is null)
        or (removed_at is not null and removed_by is not null and length(removed_reason) > 0))
) strict;
-- A workplace's notebook, newest first.
create index liaison_message_etablissement_ix on liaison_message (organisation_id, etablissement_id, written_at, id);
-- A person's messages, newest first.
create index liaison_message_usager_ix on liaison_message (organisation_id, usager_id, written_at, id);

-- Every version of a message, the first included: append-only.
create table liaison_message_version (
    organisation_id blob not null,
    message_id blob not null,
    version integer not null,
    subject text not null,
    body text not null,
    important integer not null,
    reason text,
    written_at integer not null,
    written_by blob not null,
    constraint liaison_message_version_pk primary key (organisation_id, message_id, version),
    constraint liaison_message_version_message_fk foreign key (organisation_id, message_id)
        references liaison_message (organisation_id, id),
    constraint liaison_message_version_content_ck check (length(subject) > 0 and length(body) > 0)
) strict;

-- Who has read a message, and when (first reading only; append-only).
create table liaison_lecture (
    organisation_id blob not null,
    message_id blob not null,
    user_id blob not null,
    read_at integer not null,
    constraint liaison_lecture_pk primary key (organisation_id, message_id, user_id),
    constraint liaison_lecture_message_fk foreign key (organisation_id, message_id)
        references liaison_message (organisation_id, id),
    constraint liaison_lecture_user_fk foreign key (organisation_id, user_id) references user_account (organisation_id, id)
) strict;

-- A follow-up item (à faire) of a message. Its text never changes; `done` and `state_seq` are the
-- latest of its liaison_suivi_etat events (kept here so that open items are listed without reading
-- the events; `state_seq` is compared on write so that two taps at once conflict).
create table liaison_suivi (
    organisation_id blob not null,
    id blob not null,
    message_id blob not null,
    texte text not null,
    echeance text,
    assigne_id blob,
    done integer not null,
    state_seq integer not null,
    created_at integer not null,
    created_by blob not null,
    constraint liaison_suivi_pk primary key (organisation_id, id),
    constraint liaison_suivi_message_fk foreign key (organisation_id, message_id)
        references liaison_message (organisation_id, id),
    constraint liaison_suivi_assigne_fk foreign key (organisation_id, assigne_id) references user_account (organisation_id, id),
    constraint liaison_suivi_texte_ck check (length(texte) > 0),
    constraint liaison_suivi_seq_ck check (state_seq >= 0)
) strict;
create index liaison_suivi_message_ix on liaison_suivi (organisation_id, message_id);

-- Every change of a follow-up item's state (fait, or à faire again): append-only, so an undo is a
-- new dated event and the earlier ones stay readable.
create table liaison_suivi_etat (
    organisation_id blob not null,
    suivi_id blob not null,
    seq integer not null,
    done integer not null,
    changed_at integer not null,
    changed_by blob not null,
    constraint liaison_suivi_etat_pk primary key (organisation_id, suivi_id, seq),
    constraint liaison_suivi_etat_suivi_fk foreign key (organisation_id, suivi_id)
        references liaison_suivi (organisation_id, id),
    constraint liaison_suivi_etat_seq_ck check (seq >= 1)
) strict;

create trigger liaison_message_no_delete before delete on liaison_message
begin
    select raise(abort, 'liaison_message is never deleted');
end;
create trigger liaison_message_version_no_update before update on liaison_message_version
begin
    select raise(abort, 'liaison_message_version is append-only');
end;
create trigger liaison_message_version_no_delete before delete on liaison_message_version
begin
    select raise(abort, 'liaison_message_version is append-only');
end;
create trigger liaison_lecture_no_update before update on liaison_lecture
begin
    select raise(abort, 'liaison_lecture is append-only');
end;
create trigger liaison_lecture_no_delete before delete on liaison_lecture
begin
    select raise(abort, 'liaison_lecture is append-only');
end;
create trigger liaison_suivi_no_delete before delete on liaison_suivi
begin
    select raise(abort, 'liaison_suivi is never deleted');
end;
create trigger liaison_suivi_etat_no_update before update on liaison_suivi_etat
begin
    select raise(abort, 'liaison_suivi_etat is append-only');
end;
create trigger liaison_suivi_etat_no_delete before delete on liaison_suivi_etat
begin
    select raise(abort, 'liaison_suivi_etat is append-only');
end;
