-- Transmissions ciblées (DAR) and the relève of a unit. Twin of ../sqlite/0007_transmissions.sql (same
-- tables, columns and constraint names).

-- A transmission: what never changes (person, unit, category, first author and time). Its content is
-- in transmission_version; `version` names the current one (raised by a correction, compared on write
-- so that concurrent corrections conflict). `unite_id` is the unit the person was followed in when it
-- was written: the relève of that unit shows it. `important` is the current version's flag, kept here so
-- that the relève sorts without reading the versions.
create table transmission (
    organisation_id uuid not null,
    id uuid not null,
    usager_id uuid not null,
    etablissement_id uuid not null,
    unite_id uuid,
    category text not null,
    important boolean not null,
    version bigint not null,
    written_at bigint not null,
    written_by uuid not null,
    updated_at bigint not null,
    constraint transmission_pk primary key (organisation_id, id),
    constraint transmission_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id),
    constraint transmission_unite_fk foreign key (organisation_id, unite_id) references unite (organisation_id, id),
    constraint transmission_category_ck check (category in ('soins', 'educatif', 'social', 'medical')),
    constraint transmission_version_ck check (version >= 1)
);
-- A person's transmissions, newest first (keyset on written_at, id).
create index transmission_usager_ix on transmission (organisation_id, usager_id, written_at, id);
-- A unit's relève: what was written (or corrected) since a time.
create index transmission_unite_ix on transmission (organisation_id, unite_id, updated_at, id);

-- Every version of a transmission, the first included: append-only. Medical transmissions keep their
-- versions here, never in record_version, so the shared history of the record shows none of them.
create table transmission_version (
    organisation_id uuid not null,
    transmission_id uuid not null,
    version bigint not null,
    cible text not null,
    donnees text not null,
    actions text,
    resultats text,
    important boolean not null,
    reason text,
    written_at bigint not null,
    written_by uuid not null,
    constraint transmission_version_pk primary key (organisation_id, transmission_id, version),
    constraint transmission_version_transmission_fk foreign key (organisation_id, transmission_id)
        references transmission (organisation_id, id),
    constraint transmission_version_donnees_ck check (length(donnees) > 0)
);

-- Who has read a transmission, and when (first reading only; append-only).
create table transmission_lecture (
    organisation_id uuid not null,
    transmission_id uuid not null,
    user_id uuid not null,
    read_at bigint not null,
    constraint transmission_lecture_pk primary key (organisation_id, transmission_id, user_id),
    constraint transmission_lecture_transmission_fk foreign key (organisation_id, transmission_id)
        references transmission (organisation_id, id),
    constraint transmission_lecture_user_fk foreign key (organisation_id, user_id) references user_account (organisation_id, id)
);

-- A professional's visits of a unit's relève: `since_at` is where the current relève starts (the
-- previous visit), `seen_at` the latest opening. A new visit begins after a pause (see app::transmission).
create table releve_visite (
    organisation_id uuid not null,
    user_id uuid not null,
    unite_id uuid not null,
    since_at bigint not null,
    seen_at bigint not null,
    constraint releve_visite_pk primary key (organisation_id, user_id, unite_id),
    constraint releve_visite_user_fk foreign key (organisation_id, user_id) references user_account (organisation_id, id),
    constraint releve_visite_unite_fk foreign key (organisation_id, unite_id) references unite (organisation_id, id)
);

create function transmission_append_only() returns trigger language plpgsql as $$
begin
    raise exception '% is append-only', tg_table_name;
end;
$$;
create trigger transmission_version_no_update before update on transmission_version
    for each row execute function transmission_append_only();
create trigger transmission_version_no_delete before delete on transmission_version
    for each row execute function transmission_append_only();
create trigger transmission_no_delete before delete on transmission
    for each row execute function transmission_append_only();
create trigger transmission_lecture_no_update before update on transmission_lecture
    for each row execute function transmission_append_only();
create trigger transmission_lecture_no_delete before delete on transmission_lecture
    for each row execute function transmission_append_only();
create trigger transmission_version_no_truncate before truncate on transmission_version
    for each statement execute function transmission_append_only();
create trigger transmission_lecture_no_truncate before truncate on transmission_lecture
    for each statement execute function transmission_append_only();
