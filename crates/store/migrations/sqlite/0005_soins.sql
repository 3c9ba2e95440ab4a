-- The care record's vital signs and measures (constantes). Twin of ../postgres/0005_soins.sql (same
-- tables, columns and constraint names).

-- One measure of a person: append-only. `value` is the measure (systolic pressure, count of stools…),
-- `value2` the second value of the kinds that have one (diastolic pressure, Bristol type). A mistaken
-- measure is cancelled in soin_mesure_annulation, never deleted; a correction is a new measure whose
-- `corrects_id` names the cancelled one.
create table soin_mesure (
    organisation_id blob not null,
    id blob not null,
    usager_id blob not null,
    kind text not null,
    measured_at integer not null,
    value real not null,
    value2 real,
    note text,
    corrects_id blob,
    recorded_at integer not null,
    recorded_by blob not null,
    constraint soin_mesure_pk primary key (organisation_id, id),
    constraint soin_mesure_usager_fk foreign key (organisation_id, usager_id) references usager (organisation_id, id),
    constraint soin_mesure_corrects_fk foreign key (organisation_id, corrects_id) references soin_mesure (organisation_id, id),
    constraint soin_mesure_kind_ck check (kind in ('poids', 'taille', 'tension', 'pouls', 'temperature', 'spo2',
        'glycemie', 'eva', 'algoplus', 'selles', 'diurese'))
) strict;
-- A person's series of one kind over a period.
create index soin_mesure_series_ix on soin_mesure (organisation_id, usager_id, kind, measured_at);

-- The cancellation of a measure, with its reason (at most one per measure; append-only).
create table soin_mesure_annulation (
    organisation_id blob not null,
    mesure_id blob not null,
    reason text not null,
    at integer not null,
    by_user blob not null,
    constraint soin_mesure_annulation_pk primary key (organisation_id, mesure_id),
    constraint soin_mesure_annulation_mesure_fk foreign key (organisation_id, mesure_id)
        references soin_mesure (organisation_id, id),
    constraint soin_mesure_annulation_reason_ck check (length(reason) > 0)
) strict;

create trigger soin_mesure_no_update before update on soin_mesure
begin
    select raise(abort, 'soin_mesure is append-only');
end;
create trigger soin_mesure_no_delete before delete on soin_mesure
begin
    select raise(abort, 'soin_mesure is append-only');
end;
create trigger soin_mesure_annulation_no_update before update on soin_mesure_annulation
begin
    select raise(abort, 'soin_mesure_annulation is append-only');
end;
create trigger soin_mesure_annulation_no_delete before delete on soin_mesure_annulation
begin
    select raise(abort, 'soin_mesure_annulation is append-only');
end;
