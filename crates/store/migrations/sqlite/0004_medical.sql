-- The medical file (volet médical) under medical secret, and the organisation's per-role access to it.
-- Twin of ../postgres/0004_medical.sql (same tables, columns and constraint names). Every entry is versioned
-- through record_version (with no usager_id there, so the record history of the person never shows it).

-- Allergies and intolerances: shown to every professional as a safety banner while `active`.
create table medical_allergy (
    organisation_id blob not null,
    id blob not null,
    usager_id blob not null,
    substance text not null,
    reaction text,
    severity text not null,
    kind text not null,
    status text not null,
    noted_on text,
    resolved_on text,
    version integer not null,
    created_at integer not null,
    created_by blob not null,
    updated_at integer not null,
    updated_by blob not null,
    constraint medical_allergy_pk primary key (organisation_id, id),
    constraint medical_allergy_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id),
    constraint medical_allergy_severity_ck check (severity in ('legere', 'moderee', 'severe', 'anaphylaxie')),
    constraint medical_allergy_kind_ck check (kind in ('allergie', 'intolerance')),
    constraint medical_allergy_status_ck check (status in ('active', 'resolue'))
) strict;
create index medical_allergy_usager_ix on medical_allergy (organisation_id, usager_id, status);

-- Antécédents: an optional CIM-10 code (checked by its form in the domain) and a text.
create table medical_antecedent (
    organisation_id blob not null,
    id blob not null,
    usager_id blob not null,
    cim10 text,
    texte text not null,
    since_on text,
    version integer not null,
    created_at integer not null,
    created_by blob not null,
    updated_at integer not null,
    updated_by blob not null,
    constraint medical_antecedent_pk primary key (organisation_id, id),
    constraint medical_antecedent_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id)
) strict;
create index medical_antecedent_usager_ix on medical_antecedent (organisation_id, usager_id);

create table medical_vaccination (
    organisation_id blob not null,
    id blob not null,
    usager_id blob not null,
    vaccine text not null,
    given_on text not null,
    lot text,
    dose text,
    version integer not null,
    created_at integer not null,
    created_by blob not null,
    updated_at integer not null,
    updated_by blob not null,
    constraint medical_vaccination_pk primary key (organisation_id, id),
    constraint medical_vaccination_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id)
) strict;
create index medical_vaccination_usager_ix on medical_vaccination (organisation_id, usager_id, given_on);

-- The summary of current treatments: one versioned text per person.
create table medical_treatment (
    organisation_id blob not null,
    id blob not null,
    usager_id blob not null,
    texte text not null,
    version integer not null,
    created_at integer not null,
    created_by blob not null,
    updated_at integer not null,
    updated_by blob not null,
    constraint medical_treatment_pk primary key (organisation_id, id),
    constraint medical_treatment_usager_uq unique (organisation_id, usager_id),
    constraint medical_treatment_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id)
) strict;

-- Medical observations and consultations, signed by their author; a correction is a new version.
create table medical_observation (
    organisation_id blob not null,
    id blob not null,
    usager_id blob not null,
    observed_on text not null,
    kind text not null,
    author_id blob not null,
    texte text not null,
    version integer not null,
    created_at integer not null,
    created_by blob not null,
    updated_at integer not null,
    updated_by blob not null,
    constraint medical_observation_pk primary key (organisation_id, id),
    constraint medical_observation_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id),
    constraint medical_observation_kind_ck check (kind in ('observation', 'consultation'))
) strict;
create index medical_observation_usager_ix on medical_observation (organisation_id, usager_id, observed_on);

-- The organisation's choice, per role, of who reads and writes the medical file. A role without a
-- row follows the permission table of the gate (médecin and infirmier); administrators are never
-- offered access to persons' records.
create table medical_role_access (
    organisation_id blob not null,
    role text not null,
    can_read integer not null,
    can_write integer not null,
    version integer not null,
    updated_at integer not null,
    updated_by blob not null,
    constraint medical_role_access_pk primary key (organisation_id, role),
    constraint medical_role_access_org_fk foreign key (organisation_id) references organisation (id),
    constraint medical_role_access_role_ck check (role in ('direction', 'chef_de_service', 'medecin', 'infirmier',
        'aide_soignant', 'educateur', 'psychologue', 'secretariat')),
    constraint medical_role_access_write_ck check (can_read or not can_write)
) strict;
