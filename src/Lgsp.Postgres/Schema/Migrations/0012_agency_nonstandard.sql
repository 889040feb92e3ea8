-- An agency whose code follows neither written form (QCVN 102:2016, Decision 20/2020) but which the
-- administrator accepts as an exception (lgsp agencies add CODE --nonstandard): the strict policy
-- accepts that exact code in packages. Codes in a standard form never carry the flag.
ALTER TABLE lgsp.agency ADD COLUMN nonstandard boolean NOT NULL DEFAULT false;
CREATE INDEX agency_nonstandard ON lgsp.agency (code) WHERE nonstandard;
