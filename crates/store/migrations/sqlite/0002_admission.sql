-- Admission and the person's circle: requests and waiting list, séjours, contracts, orientation
-- decisions, entourage and legal protection, partners, consents, and the versions of every record.
-- Twin of ../postgres/0002_admission.sql (same tables, columns and constraint names).

-- Authorised places per modality of an establishment, and an optional capacity per unit.
create table etablissement_capacity (
    organisation_id blob not null,
    etablissement_id blob not null,
    modalite text not null,
    capacity integer not null,
    constraint etablissement_capacity_pk primary key (organisation_id, etablissement_id, modalite),
    constraint etablissement_capacity_etablissement_fk foreign key (organisation_id, etablissement_id)
        references etablissement (organisation_id, id),
    constraint etablissement_capacity_ck check (capacity >= 0)
) strict;
alter table unite add column capacity integer;

create table admission_request (
    organisation_id blob not null,
    id blob not null,
    usager_id blob not null,
    etablissement_id blob not null,
    modalite text not null,
    origin text not null,
    received_on text not null,
    priority integer not null,
    status text not null,
    expectations text,
    documents text,
    notes text,
    status_reason text,
    sejour_id blob,
    version integer not null,
    created_at integer not null,
    created_by blob not null,
    updated_at integer not null,
    updated_by blob not null,
    constraint admission_request_pk primary key (organisation_id, id),
    constraint admission_request_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id),
    constraint admission_request_etablissement_fk foreign key (organisation_id, etablissement_id)
        references etablissement (organisation_id, id),
    constraint admission_request_priority_ck check (priority between 1 and 3),
    constraint admission_request_status_ck check (status in ('recue', 'en_etude', 'visite_planifiee', 'acceptee',
        'en_attente_de_place', 'refusee', 'annulee', 'admise'))
) strict;
create index admission_request_etab_ix on admission_request (organisation_id, etablissement_id, status, priority, received_on);
create index admission_request_usager_ix on admission_request (organisation_id, usager_id);

-- Every status change of a request: when, by whom, why.
create table admission_request_event (
    organisation_id blob not null,
    request_id blob not null,
    seq integer not null,
    status text not null,
    reason text,
    at integer not null,
    by_user blob not null,
    constraint admission_request_event_pk primary key (organisation_id, request_id, seq),
    constraint admission_request_event_request_fk foreign key (organisation_id, request_id)
        references admission_request (organisation_id, id)
) strict;

create table sejour (
    organisation_id blob not null,
    id blob not null,
    usager_id blob not null,
    etablissement_id blob not null,
    unite_id blob,
    modalite text not null,
    request_id blob,
    previous_id blob,
    planned_entry text not null,
    entry_date text,
    planned_exit text,
    exit_date text,
    entry_mode text,
    exit_mode text,
    exit_destination text,
    status text not null,
    over_capacity integer not null,
    version integer not null,
    created_at integer not null,
    created_by blob not null,
    updated_at integer not null,
    updated_by blob not null,
    constraint sejour_pk primary key (organisation_id, id),
    constraint sejour_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id),
    constraint sejour_etablissement_fk foreign key (organisation_id, etablissement_id)
        references etablissement (organisation_id, id),
    constraint sejour_unite_fk foreign key (organisation_id, unite_id) references unite (organisation_id, id),
    constraint sejour_status_ck check (status in ('prevu', 'en_cours', 'termine', 'annule')),
    constraint sejour_exit_ck check (exit_date is null or (entry_date is not null and exit_date >= entry_date))
) strict;
create index sejour_usager_ix on sejour (organisation_id, usager_id);
create index sejour_etab_ix on sejour (organisation_id, etablissement_id, status, usager_id);
create index sejour_unite_ix on sejour (organisation_id, unite_id, status, usager_id);

create table contrat (
    organisation_id blob not null,
    id blob not null,
    usager_id blob not null,
    sejour_id blob not null,
    kind text not null,
    parent_id blob,
    object text,
    handed_on text,
    signed_on text,
    signatories text,
    document_ref text,
    version integer not null,
    created_at integer not null,
    created_by blob not null,
    updated_at integer not null,
    updated_by blob not null,
    constraint contrat_pk primary key (organisation_id, id),
    constraint contrat_sejour_fk foreign key (organisation_id, sejour_id) references sejour (organisation_id, id),
    constraint contrat_kind_ck check (kind in ('contrat_sejour', 'dipc', 'avenant'))
) strict;
create index contrat_sejour_ix on contrat (organisation_id, sejour_id);
create index contrat_usager_ix on contrat (organisation_id, usager_id);

create table orientation_decision (
    organisation_id blob not null,
    id blob not null,
    usager_id blob not null,
    decision_type text not null,
    category_code text not null,
    modalite text,
    decided_on text,
    start_date text not null,
    end_date text,
    decision_number text,
    viatrajectoire_id text,
    creton integer not null,
    mdph text,
    notes text,
    version integer not null,
    created_at integer not null,
    created_by blob not null,
    updated_at integer not null,
    updated_by blob not null,
    constraint orientation_decision_pk primary key (organisation_id, id),
    constraint orientation_decision_usager_fk foreign key (organisation_id, usager_id)
        references usager (organisation_id, id),
    constraint orientation_decision_dates_ck check (end_date is null or end_date >= start_date)
) strict;
create index orientation_decision_usager_ix on orientation_decision (organisation_id, usager_id);
create index orientation_decision_end_ix on orientation_decision (organisation_id, end_date);

create table partenaire (
    organisation_id blob not null,
    id blob not null,
    kind text not null,
    name text not null,
    rpps text,
    finess text,
    address text,
    phone text,
    email text,
    notes text,
    search_key text not null,
    active integer not null,
    version integer not null,
    created_at integer not null,
    created_by blob not null,
    updated_at integer not null,
    updated_by blob not null,
    constraint partenaire_pk primary key (organisation_id, id),
    constraint partenaire_org_fk foreign key (organisation_id) references organisation (id)
) strict;
create index partenaire_search_ix on partenaire (organisation_id, search_key);

create table proche (
    organisation_id blob not null,
    id blob not null,
    usager_id blob not null,
    relation text not null,
    last_name text not null,
    first_name text,
    phone text,
    email text,
    address text,
    aidant integer not null,
    personne_confiance integer not null,
    personne_a_prevenir integer not null,
    autorite_parentale integer not null,
    partenaire_id blob,
    notes text,
    active integer not null,
    version integer not null,
    created_at integer not null,
    created_by blob not null,
    updated_at integer not null,
    updated_by blob not null,
    constraint proche_pk primary key (organisation_id, id),
    constraint proche_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id),
    constraint proche_partenaire_fk foreign key (organisation_id, partenaire_id)
        references partenaire (organisation_id, id)
) strict;
create index proche_usager_ix on proche (organisation_id, usager_id);

create table protection_measure (
    organisation_id blob not null,
    id blob not null,
    usager_id blob not null,
    kind text not null,
    start_date text not null,
    end_date text,
    representative_id blob not null,
    judgment_ref text,
    court text,
    version integer not null,
    created_at integer not null,
    created_by blob not null,
    updated_at integer not null,
    updated_by blob not null,
    constraint protection_measure_pk primary key (organisation_id, id),
    constraint protection_measure_usager_fk foreign key (organisation_id, usager_id)
        references usager (organisation_id, id),
    constraint protection_measure_representative_fk foreign key (organisation_id, representative_id)
        references proche (organisation_id, id),
    constraint protection_measure_dates_ck check (end_date is null or end_date >= start_date)
) strict;
create index protection_measure_usager_ix on protection_measure (organisation_id, usager_id);

create table usager_partenaire (
    organisation_id blob not null,
    id blob not null,
    usager_id blob not null,
    partenaire_id blob not null,
    role text not null,
    start_date text,
    end_date text,
    notes text,
    version integer not null,
    created_at integer not null,
    created_by blob not null,
    updated_at integer not null,
    updated_by blob not null,
    constraint usager_partenaire_pk primary key (organisation_id, id),
    constraint usager_partenaire_usager_fk foreign key (organisation_id, usager_id)
        references usager (organisation_id, id),
    constraint usager_partenaire_partenaire_fk foreign key (organisation_id, partenaire_id)
        references partenaire (organisation_id, id),
    constraint usager_partenaire_dates_ck check (end_date is null or start_date is null or end_date >= start_date)
) strict;
create index usager_partenaire_usager_ix on usager_partenaire (organisation_id, usager_id);
create index usager_partenaire_partenaire_ix on usager_partenaire (organisation_id, partenaire_id);

-- Consent decisions are legal records: append-only (a correction is a new decision).
create table consentement (
    organisation_id blob not null,
    id blob not null,
    usager_id blob not null,
    purpose text not null,
    decision text not null,
    signatory_id blob,
    decided_on text not null,
    expires_on text,
    scope text,
    partners text not null,
    document_ref text,
    recorded_at integer not null,
    recorded_by blob not null,
    constraint consentement_pk primary key (organisation_id, id),
    constraint consentement_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id),
    constraint consentement_signatory_fk foreign key (organisation_id, signatory_id) references proche (organisation_id, id),
    constraint consentement_decision_ck check (decision in ('donne', 'refuse', 'retire'))
) strict;
create index consentement_usager_ix on consentement (organisation_id, usager_id, purpose, recorded_at);

-- Every version of every record above (request, séjour, contract, decision, proche, measure, partner,
-- partner link), as a JSON snapshot: a correction never erases what was written before.
create table record_version (
    organisation_id blob not null,
    kind text not null,
    record_id blob not null,
    version integer not null,
    usager_id blob,
    snapshot text not null,
    reason text,
    changed_at integer not null,
    changed_by blob not null,
    constraint record_version_pk primary key (organisation_id, kind, record_id, version),
    constraint record_version_org_fk foreign key (organisation_id) references organisation (id)
) strict;
create index record_version_usager_ix on record_version (organisation_id, usager_id, changed_at);

create trigger consentement_no_update before update on consentement
begin
    select raise(abort, 'consentement is append-only');
end;
create trigger consentement_no_delete before delete on consentement
begin
    select raise(abort, 'consentement is append-only');
end;

-- The history itself is append-only: request events and record versions are never changed or removed.
create trigger admission_request_event_no_update before update on admission_request_event
begin
    select raise(abort, 'admission_request_event is append-only');
end;
create trigger admission_request_event_no_delete before delete on admission_request_event
begin
    select raise(abort, 'admission_request_event is append-only');
end;
create trigger record_version_no_update before update on record_version
begin
    select raise(abort, 'record_version is append-only');
end;
create trigger record_version_no_delete before delete on record_version
begin
    select raise(abort, 'record_version is append-only');
end;
