-- Agencies registered by client systems (axis registerAgency) wait for an operator's approval
-- (docs/axis.md, docs/operations.md "Approving agency registrations"). A request is not an agency:
-- it is not in lgsp.agency, so routing, the directory lists and the caller's mandate ignore it until
-- it is approved.
CREATE TABLE lgsp.agency_registration (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code            text NOT NULL,
    name            text NOT NULL,
    parent_code     text NULL,
    mail            text NULL,
    system_id       text NOT NULL REFERENCES lgsp.client_system (id),
    requested_at    timestamptz NOT NULL,
    state           text NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
    decided_at      timestamptz NULL,
    decided_by      text NULL,
    reason          text NULL
);

-- At most one request waits per code: the operator approves or rejects a code, never a guess.
CREATE UNIQUE INDEX agency_registration_pending ON lgsp.agency_registration (code) WHERE state = 'pending';

-- Which of a system's agencies it has only because it registered them: an operator's change to such an
-- agency takes that link away with the ownership (agency.owner_system), so a registration never keeps
-- documents for the registering system after the operator has spoken.
ALTER TABLE lgsp.client_system_agency ADD COLUMN registered boolean NOT NULL DEFAULT false;

-- Agencies registered before approvals existed stay as they are: approved, owned by their system.
UPDATE lgsp.client_system_agency l SET registered = true
FROM lgsp.agency a
WHERE a.code = l.agency_code AND a.owner_system = l.system_id;
