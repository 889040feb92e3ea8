-- The link policy (ADR 0017): how packages arriving over a hub link are judged. `strict` (the default)
-- judges them under the other hub's client system's policy; `inherit` accepts under legacy what the
-- previous hub accepted under legacy, recording that hub's verdict and receipt.
ALTER TABLE lgsp.hub ADD COLUMN policy text NOT NULL DEFAULT 'strict' CHECK (policy IN ('strict', 'inherit'));
