-- Reports (docs/reports.md): the working-day calendar's operator changes, and the facts each
-- package contributes to the exchange figures, written in the accept transaction.

-- The operators' calendar entries (lgsp calendar add|remove); the bundled holidays ship with the
-- code (Lgsp.Exchange/Reports/Calendar/vn-holidays.txt) and these lie over them. Each change is
-- also a directory.changed ledger entry.
CREATE TABLE lgsp.calendar_day (
    day                 date PRIMARY KEY,           -- local date, Asia/Ho_Chi_Minh
    kind                text NOT NULL CHECK (kind IN ('holiday', 'working')),
    reason              text NOT NULL,
    changed_at          timestamptz NOT NULL,
    changed_by          text NOT NULL
);

-- What each accepted package contributes to the reports, taken from the judged package in the
-- accept transaction (Lgsp.Exchange/Reports/Facts): nothing is re-parsed later. Packages accepted
-- before this migration have no row and are not counted.
CREATE TABLE lgsp.report_package (
    package_id          bigint PRIMARY KEY REFERENCES lgsp.package (id),
    kind                text NOT NULL CHECK (kind IN ('document', 'status')),
    business_type       smallint NULL,              -- documents: 0 new, 1 revoke, 2 update, 3 replace
    status_code         text NULL,                  -- statuses
    document_id         text NOT NULL,              -- a status: the document it is about
    status_target       text NULL,                  -- statuses: the agency it is for
    from_agency         text NOT NULL,
    from_tier           text NULL,                  -- null: not in the directory
    from_scope          text NOT NULL CHECK (from_scope IN ('internal', 'external')),
    received_at         timestamptz NOT NULL,
    received_day        date NOT NULL,              -- received_at's local date, Asia/Ho_Chi_Minh
    priority            smallint NULL,              -- OtherInfo/Priority: 0 normal … 4 express with a deadline
    paper               boolean NOT NULL,           -- Business/Paper = 1: also sent on paper
    promulgation_date   date NULL,
    envelope_signer     text NOT NULL CHECK (envelope_signer IN ('unsigned', 'organization', 'personal', 'unknown'))
);
CREATE INDEX report_package_day ON lgsp.report_package (received_day, from_agency);
-- The rollup refresh finds the document a status is about by its DocumentId.
CREATE INDEX report_package_document ON lgsp.report_package (document_id) WHERE kind = 'document';

-- Each recipient: its tier and which side of the subtree it is on.
CREATE TABLE lgsp.report_recipient (
    package_id          bigint NOT NULL REFERENCES lgsp.report_package (package_id),
    recipient           text NOT NULL,
    tier                text NULL,
    scope               text NOT NULL CHECK (scope IN ('internal', 'external', 'unrouted')),
    PRIMARY KEY (package_id, recipient)
);
CREATE INDEX report_recipient_recipient ON lgsp.report_recipient (recipient);

-- Each PDF attachment, as the PDF inspector found it (a PDF it cannot read is 'unreadable').
CREATE TABLE lgsp.report_attachment (
    package_id          bigint NOT NULL REFERENCES lgsp.report_package (package_id),
    ordinal             integer NOT NULL,           -- 1-based among the package's attachments
    name                text NULL,
    verdict             text NOT NULL CHECK (verdict IN ('signed', 'unsigned', 'broken', 'unreadable')),
    organization_signers integer NOT NULL,          -- intact signatures by an organisation's certificate
    personal_signers    integer NOT NULL,           -- intact signatures by a person's certificate
    PRIMARY KEY (package_id, ordinal)
);

-- The daily per-agency rollups the reports read (docs/adr/0009-report-rollups.md): one row per
-- local day and agency, the figures in the order of lgsp.report_rollup_state.figures, failed
-- deliveries by error code. Rebuilt per day by the rollup job from the rows above.
CREATE TABLE lgsp.report_rollup (
    day                 date NOT NULL,
    agency              text NOT NULL,
    tier                text NULL,
    counts              bigint[] NOT NULL,
    failures            jsonb NOT NULL DEFAULT '{}',  -- {"error-code": count}
    PRIMARY KEY (day, agency)
);

-- Where the rollups were left: every sealed ledger entry up to watermark is counted; refreshed_at
-- is when the time-dependent figures were judged; figures names the counts' order. One row.
CREATE TABLE lgsp.report_rollup_state (
    id                  boolean PRIMARY KEY DEFAULT true CHECK (id),
    watermark           bigint NOT NULL,
    refreshed_at        timestamptz NOT NULL,
    figures             text[] NOT NULL
);
