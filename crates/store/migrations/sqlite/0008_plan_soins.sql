-- The plan de soins: recurring care tasks of a person and the record of each occurrence. Twin of
-- ../postgres/0008_plan_soins.sql (same tables, columns and constraint names).

-- Every version of a task: a change (or a stop) is a new row with the next version; the current
-- task is its highest version. `jours` (`lun,mer`) or `intervalle` (every N days from
-- `date_debut`) says when; `heures` (`08:00,20:00`) are civil times in Europe/Paris; `roles`
-- (`infirmier,aide_soignant`) who may do it.
create table plan_soin_tache (
    organisation_id blob not null,
    id blob not null,
    version integer not null,
    usager_id blob not null,
    label text not null,
    details text,
    jours text,
    intervalle integer,
    heures text not null,
    date_debut text not null,
    date_fin text,
    roles text not null,
    status text not null,
    recorded_at integer not null,
    recorded_by blob not null,
    constraint plan_soin_tache_pk primary key (organisation_id, id, version),
    constraint plan_soin_tache_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id),
    constraint plan_soin_tache_status_ck check (status in ('active', 'arretee')),
    constraint plan_soin_tache_when_ck check ((jours is null) <> (intervalle is null)),
    constraint plan_soin_tache_dates_ck check (date_fin is null or date_fin >= date_debut)
) strict;
create index plan_soin_tache_usager_ix on plan_soin_tache (organisation_id, usager_id, id, version);

-- The record of one occurrence (a task's day and time): done, or not done with its reason. At
-- most one per occurrence; append-only.
create table plan_soin_realisation (
    organisation_id blob not null,
    id blob not null,
    tache_id blob not null,
    tache_version integer not null,
    usager_id blob not null,
    due_date text not null,
    due_time text not null,
    resultat text not null,
    motif text,
    note text,
    recorded_at integer not null,
    recorded_by blob not null,
    constraint plan_soin_realisation_pk primary key (organisation_id, id),
    constraint plan_soin_realisation_occurrence_uq unique (organisation_id, tache_id, due_date, due_time),
    constraint plan_soin_realisation_tache_fk foreign key (organisation_id, tache_id, tache_version)
        references plan_soin_tache (organisation_id, id, version),
    constraint plan_soin_realisation_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id),
    constraint plan_soin_realisation_resultat_ck check ((resultat = 'fait' and motif is null)
        or (resultat = 'non_fait' and motif in ('refus', 'absence', 'hospitalisation', 'sommeil', 'etat_de_sante', 'autre')))
) strict;
create index plan_soin_realisation_day_ix on plan_soin_realisation (organisation_id, due_date, usager_id);

create trigger plan_soin_tache_no_update before update on plan_soin_tache
begin
    select raise(abort, 'plan_soin_tache is append-only');
end;
create trigger plan_soin_tache_no_delete before delete on plan_soin_tache
begin
    select raise(abort, 'plan_soin_tache is append-only');
end;
create trigger plan_soin_realisation_no_update before update on plan_soin_realisation
begin
    select raise(abort, 'plan_soin_realisation is append-only');
end;
create trigger plan_soin_realisation_no_delete before delete on plan_soin_realisation
begin
    select raise(abort, 'plan_soin_realisation is append-only');
end;
