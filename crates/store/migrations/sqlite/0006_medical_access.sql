-- Temporary access to the medical file: delegations granted by a physician, and emergency
-- (break-the-glass) openings. Twin of ../postgres/0006_medical_access.sql (same tables, columns and
-- constraint names). Rows are never deleted: a delegation is revoked by filling its revocation
-- columns once, an emergency access is reviewed by filling its review columns once; both are audited.

-- A physician lets a named professional read one person's medical file from `starts_on` to `ends_on`
-- (civil dates in Europe/Paris, both included).
create table medical_delegation (
    organisation_id blob not null,
    id blob not null,
    usager_id blob not null,
    delegate_id blob not null,
    granted_by blob not null,
    reason text not null,
    starts_on text not null,
    ends_on text not null,
    created_at integer not null,
    revoked_at integer,
    revoked_by blob,
    revoke_reason text,
    constraint medical_delegation_pk primary key (organisation_id, id),
    constraint medical_delegation_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id),
    constraint medical_delegation_delegate_fk foreign key (organisation_id, delegate_id) references user_account (organisation_id, id),
    constraint medical_delegation_granted_by_fk foreign key (organisation_id, granted_by) references user_account (organisation_id, id),
    constraint medical_delegation_period_ck check (ends_on >= starts_on),
    constraint medical_delegation_revoked_ck check ((revoked_at is null) = (revoked_by is null))
) strict;
create index medical_delegation_delegate_ix on medical_delegation (organisation_id, delegate_id, usager_id);
create index medical_delegation_usager_ix on medical_delegation (organisation_id, usager_id, created_at);

-- A professional without medical access opens the file in an emergency, with a reason, until
-- `ends_at`; a physician or the direction reviews it afterwards.
create table medical_emergency_access (
    organisation_id blob not null,
    id blob not null,
    usager_id blob not null,
    user_id blob not null,
    reason text not null,
    opened_at integer not null,
    ends_at integer not null,
    reviewed_at integer,
    reviewed_by blob,
    review_comment text,
    constraint medical_emergency_access_pk primary key (organisation_id, id),
    constraint medical_emergency_access_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id),
    constraint medical_emergency_access_user_fk foreign key (organisation_id, user_id) references user_account (organisation_id, id),
    constraint medical_emergency_access_period_ck check (ends_at > opened_at),
    constraint medical_emergency_access_reviewed_ck check ((reviewed_at is null) = (reviewed_by is null))
) strict;
create index medical_emergency_access_user_ix on medical_emergency_access (organisation_id, user_id, usager_id, ends_at);
create index medical_emergency_access_queue_ix on medical_emergency_access (organisation_id, reviewed_at, opened_at);
