-- The console's users (docs/console.md). People, not client systems: a client system's secret never
-- opens the console, and a console user never sends packages. Every change to a row is a
-- user.changed ledger entry written in the same transaction.
CREATE TABLE lgsp.console_user (
    name                text PRIMARY KEY,
    role                text NOT NULL CHECK (role IN ('admin', 'operator', 'auditor', 'agency')),
    agencies            text[] NOT NULL DEFAULT '{}',     -- an agency clerk's agencies
    source              text NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'sso')),
    password_hash       text,                             -- pbkdf2-sha256$…; null without a local password
    disabled            boolean NOT NULL DEFAULT false,
    failed_sign_ins     integer NOT NULL DEFAULT 0,
    locked_until        timestamptz,
    created_at          timestamptz NOT NULL,
    last_sign_in_at     timestamptz
);
