-- The console's data-protection key ring, shared by every hub instance on this database, so that a
-- sign-in cookie or a form token issued by one instance is read by another (docs/security.md, "The
-- console's keys"). Each row is one element of ASP.NET Core's key ring (a key or a revocation); `xml`
-- holds it sealed with the hub's secret key (Hub:SecretKeyPath), never the key material in clear.
-- Rows are only added: data protection never changes a stored element.
CREATE TABLE lgsp.data_protection_key (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    friendly_name text NOT NULL,
    xml           text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
