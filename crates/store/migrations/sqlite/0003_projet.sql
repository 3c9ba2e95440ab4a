-- Needs evaluations (SERAFIN-PH) and AGGIR evaluations, the projet personnalisé with its status changes,
-- accords and bilans. Twin of ../postgres/0003_projet.sql (same tables, columns and constraint names).

-- An evaluation of a person: needs against SERAFIN-PH (`content` = the lines) or AGGIR (`content` = the
-- adverbs per (sub-)variable; letters, rang and GIR as computed when recorded). Versioned through
-- record_version; a cancelled evaluation stays, marked `annule` with its reason.
create table evaluation (
    organisation_id blob not null,
    id blob not null,
    usager_id blob not null,
    etablissement_id blob,
    kind text not null,
    evaluated_on text not null,
    evaluator_id blob not null,
    context text,
    content text not null,
    letters text,
    rang integer,
    gir integer,
    status text not null,
    status_reason text,
    version integer not null,
    created_at integer not null,
    created_by blob not null,
    updated_at integer not null,
    updated_by blob not null,
    constraint evaluation_pk primary key (organisation_id, id),
    constraint evaluation_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id),
    constraint evaluation_etablissement_fk foreign key (organisation_id, etablissement_id)
        references etablissement (organisation_id, id),
    constraint evaluation_kind_ck check (kind in ('besoins', 'aggir')),
    constraint evaluation_status_ck check (status in ('valide', 'annule')),
    constraint evaluation_gir_ck check (gir is null or gir between 1 and 6)
) strict;
create index evaluation_usager_ix on evaluation (organisation_id, usager_id, kind, evaluated_on);

-- One version of a projet personnalisé: an avenant is a new row (`number` + 1, `previous_id`), the
-- content (attentes, besoins, objectifs, actions, participants) one JSON document, `content_version`
-- counting its edits (accords are given on one content version; status changes do not change it).
create table projet (
    organisation_id blob not null,
    id blob not null,
    usager_id blob not null,
    etablissement_id blob not null,
    kind text not null,
    number integer not null,
    previous_id blob,
    status text not null,
    started_on text,
    ended_on text,
    content text not null,
    content_version integer not null,
    version integer not null,
    created_at integer not null,
    created_by blob not null,
    updated_at integer not null,
    updated_by blob not null,
    constraint projet_pk primary key (organisation_id, id),
    constraint projet_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id),
    constraint projet_etablissement_fk foreign key (organisation_id, etablissement_id)
        references etablissement (organisation_id, id),
    constraint projet_previous_fk foreign key (organisation_id, previous_id) references projet (organisation_id, id),
    constraint projet_status_ck check (status in ('en_preparation', 'en_cours', 'en_pause', 'termine')),
    constraint projet_number_ck check (number >= 0)
) strict;
create index projet_usager_ix on projet (organisation_id, usager_id, number);
create index projet_etablissement_ix on projet (organisation_id, etablissement_id, status);

-- Every status change of a projet, dated and signed by its author (append-only).
create table projet_event (
    organisation_id blob not null,
    projet_id blob not null,
    seq integer not null,
    status text not null,
    note text,
    at integer not null,
    by_user blob not null,
    constraint projet_event_pk primary key (organisation_id, projet_id, seq),
    constraint projet_event_projet_fk foreign key (organisation_id, projet_id) references projet (organisation_id, id)
) strict;

-- The accords on one version of the content (`content_version` of the projet when signed: an accord
-- given before a later edit of the content no longer counts): the structure's (a professional) and the person's or their representative's
-- (`signatory_proche` null = the person). Append-only.
create table projet_accord (
    organisation_id blob not null,
    id blob not null,
    projet_id blob not null,
    content_version integer not null,
    partie text not null,
    signatory_user blob,
    signatory_proche blob,
    signatory_name text not null,
    signed_on text not null,
    recorded_at integer not null,
    recorded_by blob not null,
    constraint projet_accord_pk primary key (organisation_id, id),
    constraint projet_accord_projet_fk foreign key (organisation_id, projet_id) references projet (organisation_id, id),
    constraint projet_accord_proche_fk foreign key (organisation_id, signatory_proche) references proche (organisation_id, id),
    constraint projet_accord_partie_ck check (partie in ('structure', 'usager'))
) strict;
create index projet_accord_projet_ix on projet_accord (organisation_id, projet_id);

-- A bilan of a projet: every objective assessed (`content`), a synthesis, the next bilan's date.
create table projet_bilan (
    organisation_id blob not null,
    id blob not null,
    usager_id blob not null,
    projet_id blob not null,
    bilan_date text not null,
    content text not null,
    synthese text not null,
    next_bilan_on text not null,
    author_id blob not null,
    version integer not null,
    created_at integer not null,
    created_by blob not null,
    updated_at integer not null,
    updated_by blob not null,
    constraint projet_bilan_pk primary key (organisation_id, id),
    constraint projet_bilan_projet_fk foreign key (organisation_id, projet_id) references projet (organisation_id, id),
    constraint projet_bilan_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id)
) strict;
create index projet_bilan_projet_ix on projet_bilan (organisation_id, projet_id, bilan_date);

create trigger projet_event_no_update before update on projet_event
begin
    select raise(abort, 'projet_event is append-only');
end;
create trigger projet_event_no_delete before delete on projet_event
begin
    select raise(abort, 'projet_event is append-only');
end;
create trigger projet_accord_no_update before update on projet_accord
begin
    select raise(abort, 'projet_accord is append-only');
end;
create trigger projet_accord_no_delete before delete on projet_accord
begin
    select raise(abort, 'projet_accord is append-only');
end;
