-- Foundation: organisation, structures, accounts, sessions, persons (usagers) with versions, audit trail.
-- Twin of ../postgres/0001_foundation.sql: same tables, columns and constraint names.
-- Conventions: ids are UUIDs made in Rust (blob here, uuid there); instants are unix microseconds (integer);
-- civil dates are ISO text 'YYYY-MM-DD'; statuses are text + check; organisation_id leads every tenant key.

create table organisation (
    id blob not null,
    name text not null,
    finess_ej text,
    created_at integer not null,
    constraint organisation_pk primary key (id)
) strict;

create table etablissement (
    organisation_id blob not null,
    id blob not null,
    name text not null,
    finess text not null,
    category_code text not null,
    capacity integer not null,
    active integer not null,
    version integer not null,
    created_at integer not null,
    updated_at integer not null,
    constraint etablissement_pk primary key (organisation_id, id),
    constraint etablissement_org_fk foreign key (organisation_id) references organisation (id),
    constraint etablissement_finess_uq unique (organisation_id, finess),
    constraint etablissement_capacity_ck check (capacity >= 0)
) strict;

create table unite (
    organisation_id blob not null,
    id blob not null,
    etablissement_id blob not null,
    name text not null,
    active integer not null,
    version integer not null,
    created_at integer not null,
    updated_at integer not null,
    constraint unite_pk primary key (organisation_id, id),
    constraint unite_etablissement_fk foreign key (organisation_id, etablissement_id)
        references etablissement (organisation_id, id),
    constraint unite_name_uq unique (organisation_id, etablissement_id, name)
) strict;

create table user_account (
    organisation_id blob not null,
    id blob not null,
    login text not null,
    first_name text not null,
    last_name text not null,
    profession text not null,
    rpps text,
    adeli text,
    role text not null,
    active integer not null,
    password_hash text not null,
    version integer not null,
    created_at integer not null,
    updated_at integer not null,
    constraint user_account_pk primary key (organisation_id, id),
    constraint user_account_org_fk foreign key (organisation_id) references organisation (id),
    constraint user_account_login_uq unique (login),
    constraint user_account_role_ck check (role in ('administrateur', 'direction', 'chef_de_service', 'medecin',
        'infirmier', 'aide_soignant', 'educateur', 'psychologue', 'secretariat'))
) strict;

create table user_assignment (
    organisation_id blob not null,
    id blob not null,
    user_id blob not null,
    etablissement_id blob not null,
    unite_id blob,
    constraint user_assignment_pk primary key (organisation_id, id),
    constraint user_assignment_user_fk foreign key (organisation_id, user_id)
        references user_account (organisation_id, id),
    constraint user_assignment_etablissement_fk foreign key (organisation_id, etablissement_id)
        references etablissement (organisation_id, id),
    constraint user_assignment_unite_fk foreign key (organisation_id, unite_id) references unite (organisation_id, id)
) strict;
create index user_assignment_user_ix on user_assignment (organisation_id, user_id);

create table session (
    token_hash text not null,
    organisation_id blob not null,
    user_id blob not null,
    kind text not null,
    created_at integer not null,
    last_seen_at integer not null,
    expires_at integer not null,
    revoked_at integer,
    ip text not null,
    user_agent text not null,
    constraint session_pk primary key (token_hash),
    constraint session_user_fk foreign key (organisation_id, user_id) references user_account (organisation_id, id),
    constraint session_kind_ck check (kind in ('web', 'api'))
) strict;
create index session_user_ix on session (organisation_id, user_id);

create table login_attempt (
    id blob not null,
    login text not null,
    ip text not null,
    at integer not null,
    success integer not null,
    constraint login_attempt_pk primary key (id)
) strict;
create index login_attempt_login_ix on login_attempt (login, at);
create index login_attempt_ip_ix on login_attempt (ip, at);

create table usager (
    organisation_id blob not null,
    id blob not null,
    version integer not null,
    birth_name text not null,
    birth_first_name text not null,
    birth_first_names text not null,
    used_name text,
    used_first_name text,
    sex text not null,
    birth_date text not null,
    birth_place text not null,
    ins_matricule text,
    ins_oid text,
    ins_from_insi integer not null,
    identity_status text not null,
    validation_mode text,
    validation_date text,
    attr_douteuse integer not null,
    attr_fictive integer not null,
    attr_homonyme integer not null,
    phone text,
    email text,
    address text,
    postal_code text,
    city text,
    sort_key text not null,
    duplicate_key text not null,
    created_at integer not null,
    created_by blob not null,
    updated_at integer not null,
    updated_by blob not null,
    constraint usager_pk primary key (organisation_id, id),
    constraint usager_org_fk foreign key (organisation_id) references organisation (id),
    constraint usager_sex_ck check (sex in ('M', 'F', 'I')),
    constraint usager_status_ck check (identity_status in ('PROV', 'RECUP', 'VALI', 'QUAL')),
    constraint usager_ins_ck check ((ins_matricule is null) = (ins_oid is null))
) strict;
create index usager_sort_ix on usager (organisation_id, sort_key, id);
create index usager_duplicate_ix on usager (organisation_id, duplicate_key);
create index usager_birth_date_ix on usager (organisation_id, birth_date);
-- One INS, one person: the database enforces it even if two admissions race.
create unique index usager_ins_uq on usager (organisation_id, ins_matricule);

create table usager_version (
    organisation_id blob not null,
    usager_id blob not null,
    version integer not null,
    change_kind text not null,
    snapshot text not null,
    reason text,
    changed_at integer not null,
    changed_by blob not null,
    constraint usager_version_pk primary key (organisation_id, usager_id, version),
    constraint usager_version_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id),
    constraint usager_version_kind_ck check (change_kind in ('creation', 'identite', 'statut'))
) strict;

create table usager_placement (
    organisation_id blob not null,
    usager_id blob not null,
    etablissement_id blob not null,
    unite_id blob,
    local_id text,
    created_at integer not null,
    constraint usager_placement_pk primary key (organisation_id, usager_id, etablissement_id),
    constraint usager_placement_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id),
    constraint usager_placement_etablissement_fk foreign key (organisation_id, etablissement_id)
        references etablissement (organisation_id, id),
    constraint usager_placement_unite_fk foreign key (organisation_id, unite_id) references unite (organisation_id, id),
    constraint usager_placement_local_id_uq unique (organisation_id, etablissement_id, local_id)
) strict;
create index usager_placement_etab_ix on usager_placement (organisation_id, etablissement_id, usager_id);
create index usager_placement_unite_ix on usager_placement (organisation_id, unite_id, usager_id);

create table usager_search_token (
    organisation_id blob not null,
    token text not null,
    usager_id blob not null,
    -- The person's sort key, copied here so that a name search is answered in alphabetical order
    -- from this table's index alone (see store::usager::search).
    sort_key text not null,
    constraint usager_search_token_pk primary key (organisation_id, token, usager_id),
    constraint usager_search_token_usager_fk foreign key (organisation_id, usager_id)
        references usager (organisation_id, id)
) strict;
create index usager_search_token_usager_ix on usager_search_token (organisation_id, usager_id, token);
create index usager_search_token_sort_ix on usager_search_token (organisation_id, token, sort_key, usager_id);

create table audit_event (
    organisation_id blob not null,
    seq integer not null,
    id blob not null,
    at integer not null,
    actor_id blob,
    actor_label text not null,
    action text not null,
    usager_id blob,
    target text not null,
    ip text not null,
    detail text not null,
    prev_hash text not null,
    hash text not null,
    constraint audit_event_pk primary key (organisation_id, seq),
    constraint audit_event_org_fk foreign key (organisation_id) references organisation (id)
) strict;
create index audit_event_usager_ix on audit_event (organisation_id, usager_id, seq);

create table audit_head (
    organisation_id blob not null,
    seq integer not null,
    hash text not null,
    constraint audit_head_pk primary key (organisation_id),
    constraint audit_head_org_fk foreign key (organisation_id) references organisation (id)
) strict;

-- The audit trail is append-only: the database itself refuses to change or remove an event.
create trigger audit_event_no_update before update on audit_event
begin
    select raise(abort, 'audit_event is append-only');
end;
create trigger audit_event_no_delete before delete on audit_event
begin
    select raise(abort, 'audit_event is append-only');
end;
