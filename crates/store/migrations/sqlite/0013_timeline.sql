-- The person's timeline (chronologie): each source is read newest first by keyset on
-- (organisation_id, usager_id, time, id) with a limit, so these sources need an index in that order.
-- Twin of ../postgres/0013_timeline.sql (same indexes). Transmissions already have
-- transmission_usager_ix; evaluations, projets and séjours are few per person and read through their
-- (organisation_id, usager_id …) indexes.

-- Measures of every kind, newest first (soin_mesure_series_ix is per kind).
create index soin_mesure_usager_time_ix on soin_mesure (organisation_id, usager_id, measured_at, id);
-- Care recorded as done or not done, newest first (plan_soin_realisation_day_ix is per day).
create index plan_soin_realisation_usager_ix on plan_soin_realisation (organisation_id, usager_id, recorded_at, id);
