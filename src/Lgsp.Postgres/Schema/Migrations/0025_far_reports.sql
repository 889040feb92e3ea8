-- A far outcome from another subtree travels back (ADR 0020). A child hub reports to its parent, once,
-- the final outcome of each delivery it made of a package it pulled from that parent.
--
-- The child's side: which of the parent's deliveries (its docId) a delivery here stands for, set after
-- the pull's accept commits and before `updateStatus done`, and when the parent took the report on it.
-- A crash between the report and `reported_at` only repeats a report the parent records once.
ALTER TABLE lgsp.delivery
    ADD COLUMN upstream_hub     text NULL,
    ADD COLUMN upstream_doc_id  text NULL,
    ADD COLUMN reported_at      timestamptz NULL,
-- The parent's side: a hand-off down to a child hub (a pull via that hub) is `acknowledged` when the
-- child takes it; far_confirmed_at says its recipient confirmed it further down, as the child reported.
    ADD COLUMN far_confirmed_at timestamptz NULL;

-- What a child still has to report, per parent, oldest first.
CREATE INDEX delivery_to_report ON lgsp.delivery (upstream_hub, id) WHERE upstream_hub IS NOT NULL AND reported_at IS NULL;
