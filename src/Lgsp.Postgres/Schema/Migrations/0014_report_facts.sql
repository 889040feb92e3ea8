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
