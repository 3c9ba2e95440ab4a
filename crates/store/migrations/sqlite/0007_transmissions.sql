-- Transmissions ciblées (DAR) and the relève of a unit. Twin of ../postgres/0007_transmissions.sql (same
-- tables, columns and constraint names).

-- A transmission: what never changes (person, unit, category, first author and time). Its content is
-- in transmission_version; `version` names the current one (raised by a correction, compared on write
-- so that concurrent corrections conflict). `unite_id` is the unit the person was followed in when it
-- was written: the relève of that unit shows it. `important` is the current version's flag, kept here so
-- that the relève sorts without reading the versions.
create table transmission (
    organisation_id blob not null,
    id blob not null,
    usager_id blob not null,
    etablissement_id blob not null,
    unite_id blob,
    category text not null,
    important integer not null,
    version integer not null,
    written_at integer not null,
    written_by blob not null,
    updated_at integer not null,
    constraint transmission_pk primary key (organisation_id, id),
    constraint transmission_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id),
    constraint transmission_unite_fk foreign key (organisation_id, unite_id) references unite (organisation_id, id),
    constraint transmission_category_ck check (category in ('soins', 'educatif', 'social', 'medical')),
    constraint transmission_version_ck check (version >= 1)
) strict;
-- A person's transmissions, newest first (keyset on written_at, id).
create index transmission_usager_ix on transmission (organisation_id, usager_id, written_at, id);
-- A unit's relève: what was written (or corrected) since a time.
create index transmission_unite_ix on transmission (organisation_id, unite_id, updated_at, id);

-- Every version of a transmission, the first included: append-only. Medical transmissions keep their
-- versions here, never in record_version, so the shared history of the record shows none of them.
create table transmission_version (
    organisation_id blob not null,
    transmission_id blob not null,
    version integer not null,
    cible text not null,
    donnees text not null,
    actions text,
    resultats text,
    important integer not null,
    reason text,
    written_at integer not null,
    written_by blob not null,
    constraint transmission_version_pk primary key (organisation_id, transmission_id, version),
    constraint transmission_version_transmission_fk foreign key (organisation_id, transmission_id)
        references transmission (organisation_id, id),
    constraint transmission_version_donnees_ck check (length(donnees) > 0)
) strict;

-- Who has read a transmission, and when (first reading only; append-only).
create table transmission_lecture (
    organisation_id blob not null,
    transmission_id blob not null,
    user_id blob not null,
    read_at integer not null,
    constraint transmission_lecture_pk primary key (organisation_id, transmission_id, user_id),
    constraint transmission_lecture_transmission_fk foreign key (organisation_id, transmission_id)
        references transmission (organisation_id, id),
    constraint transmission_lecture_user_fk foreign key (organisation_id, user_id) references user_account (organisation_id, id)
) strict;

-- A professional's visits of a unit's relève: `since_at` is where the current relève starts (the
-- previous visit), `seen_at` the latest opening. A new visit begins after a pause (see app::transmission).
create table releve_visite (
    organisation_id blob not null,
    user_id blob not null,
    unite_id blob not null,
    since_at integer not null,
    seen_at integer not null,
    constraint releve_visite_pk primary key (organisation_id, user_id, unite_id),
    constraint releve_visite_user_fk foreign key (organisation_id, user_id) references user_account (organisation_id, id),
    constraint releve_visite_unite_fk foreign key (organisation_id, unite_id) references unite (organisation_id, id)
) strict;

create trigger transmission_version_no_update before update on transmission_version
begin
    select raise(abort, 'transmission_version is append-only');
end;
create trigger transmission_version_no_delete before delete on transmission_version
begin
    select raise(abort, 'transmission_version is append-only');
end;
create trigger transmission_no_delete before delete on transmission
begin
    select raise(abort, 'transmission is never deleted');
end;
create trigger transmission_lecture_no_update before update on transmission_lecture
begin
    select raise(abort, 'transmission_lecture is append-only');
end;
create trigger transmission_lecture_no_delete before delete on transmission_lecture
begin
    select raise(abort, 'transmission_lecture is append-only');
end;
