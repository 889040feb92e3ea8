-- Auditors: client systems that may trace any document (GetTrace), not only their agencies' own.
-- They call the same SOAP service with the same HTTP Basic login; the role decides the scope.
ALTER TABLE lgsp.client_system
    ADD COLUMN role text NOT NULL DEFAULT 'agency' CHECK (role IN ('agency', 'auditor'));
