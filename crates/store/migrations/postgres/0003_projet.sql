-- Needs evaluations (SERAFIN-PH) and AGGIR evaluations, the projet personnalisé with its status changes,
-- accords and bilans. Twin of ../sqlite/0003_projet.sql (same tables, columns and constraint names).

-- An evaluation of a person: needs against SERAFIN-PH (`content` = the lines) or AGGIR (`content` = the
-- adverbs per (sub-)variable; letters, rang and GIR as computed when recorded). Versioned through
-- record_version; a cancelled evaluation stays, marked `annule` with its reason.
create table evaluation (
    organisation_id uuid not null,
    id uuid not null,
    usager_id uuid not null,
    etablissement_id uuid,
    kind text not null,
    evaluated_on text not null,
    evaluator_id uuid not null,
    context text,
    content text not null,
    letters text,
    rang bigint,
    gir bigint,
    status text not null,
    status_reason text,
    version bigint not null,
    created_at bigint not null,
    created_by uuid not null,
    updated_at bigint not null,
    updated_by uuid not null,
    constraint evaluation_pk primary key (organisation_id, id),
    constraint evaluation_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id),
    constraint evaluation_etablissement_fk foreign key (organisation_id, etablissement_id)
        references etablissement (organisation_id, id),
    constraint evaluation_kind_ck check (kind in ('besoins', 'aggir')),
    constraint evaluation_status_ck check (status in ('valide', 'annule')),
    constraint evaluation_gir_ck check (gir is null or gir between 1 and 6)
);
create index evaluation_usager_ix on evaluation (organisation_id, usager_id, kind, evaluated_on);

-- One version of a projet personnalisé: an avenant is a new row (`number` + 1, `previous_id`), the
-- content (attentes, besoins, objectifs, actions, participants) one JSON document, `content_version`
-- counting its edits (accords are given on one content version; status changes do not change it).
create table projet (
    organisation_id uuid not null,
    id uuid not null,
    usager_id uuid not null,
    etablissement_id uuid not null,
    kind text not null,
    number bigint not null,
    previous_id uuid,
    status text not null,
    started_on text,
    ended_on text,
    content text not null,
    content_version bigint not null,
    version bigint not null,
    created_at bigint not null,
    created_by uuid not null,
    updated_at bigint not null,
    updated_by uuid not null,
    constraint projet_pk primary key (organisation_id, id),
    constraint projet_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id),
    constraint projet_etablissement_fk foreign key (organisation_id, etablissement_id)
        references etablissement (organisation_id, id),
    constraint projet_previous_fk foreign key (organisation_id, previous_id) references projet (organisation_id, id),
    constraint projet_status_ck check (status in ('en_preparation', 'en_cours', 'en_pause', 'termine')),
    constraint projet_number_ck check (number >= 0)
);
create index projet_usager_ix on projet (organisation_id, usager_id, number);
create index projet_etablissement_ix on projet (organisation_id, etablissement_id, status);

-- Every status change of a projet, dated and signed by its author (append-only).
create table projet_event (
    organisation_id uuid not null,
    projet_id uuid not null,
    seq bigint not null,
    status text not null,
    note text,
    at bigint not null,
    by_user uuid not null,
    constraint projet_event_pk primary key (organisation_id, projet_id, seq),
    constraint projet_event_projet_fk foreign key (organisation_id, projet_id) references projet (organisation_id, id)
);

-- The accords on one version of the content (`content_version` of the projet when signed: an accord
-- given before a later edit of the content no longer counts): the structure's (a professional) and the person's or their representative's
-- (`signatory_proche` null = the person). Append-only.
create table projet_accord (
    organisation_id uuid not null,
    id uuid not null,
    projet_id uuid not null,
    content_version bigint not null,
    partie text not null,
    signatory_user uuid,
    signatory_proche uuid,
    signatory_name text not null,
    signed_on text not null,
    recorded_at bigint not null,
    recorded_by uuid not null,
    constraint projet_accord_pk primary key (organisation_id, id),
    constraint projet_accord_projet_fk foreign key (organisation_id, projet_id) references projet (organisation_id, id),
    constraint projet_accord_proche_fk foreign key (organisation_id, signatory_proche) references proche (organisation_id, id),
    constraint projet_accord_partie_ck check (partie in ('structure', 'usager'))
);
create index projet_accord_projet_ix on projet_accord (organisation_id, projet_id);

-- A bilan of a projet: every objective assessed (`content`), a synthesis, the next bilan's date.
create table projet_bilan (
    organisation_id uuid not null,
    id uuid not null,
    usager_id uuid not null,
    projet_id uuid not null,
    bilan_date text not null,
    content text not null,
    synthese text not null,
    next_bilan_on text not null,
    author_id uuid not null,
    version bigint not null,
    created_at bigint not null,
    created_by uuid not null,
    updated_at bigint not null,
    updated_by uuid not null,
    constraint projet_bilan_pk primary key (organisation_id, id),
    constraint projet_bilan_projet_fk foreign key (organisation_id, projet_id) references projet (organisation_id, id),
    constraint projet_bilan_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id)
);
create index projet_bilan_projet_ix on projet_bilan (organisation_id, projet_id, bilan_date);

create function projet_append_only() returns trigger language plpgsql as $$
begin
    raise exception '% is append-only', tg_table_name;
end;
$$;
create trigger projet_event_no_update before update on projet_event
    for each row execute function projet_append_only();
create trigger projet_event_no_delete before delete on projet_event
    for each row execute function projet_append_only();
create trigger projet_accord_no_update before update on projet_accord
    for each row execute function projet_append_only();
create trigger projet_accord_no_delete before delete on projet_accord
    for each row execute function projet_append_only();
create trigger projet_event_no_truncate before truncate on projet_event
    for each statement execute function projet_append_only();
create trigger projet_accord_no_truncate before truncate on projet_accord
    for each statement execute function projet_append_only();
