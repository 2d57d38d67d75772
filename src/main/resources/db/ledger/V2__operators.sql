-- What operators change at runtime (admin API): client keys, configuration layered over the file, the audit
-- log of every admin action; and the spend of pruned ledger rows, so budgets outlive store.retention.
-- Portable types only (SQLite and PostgreSQL). Money is integer nano-USD, times epoch milliseconds.

-- Client keys created through the admin API. Only the SHA-256 of the secret is kept; the secret is shown once.
CREATE TABLE virtual_keys (
    id                 TEXT    NOT NULL PRIMARY KEY,  -- 8 hex digits, also part of the secret (sk-sy-<id>-…)
    name               TEXT    NOT NULL UNIQUE,       -- what usage records carry; never reused, even after revocation
    secret_sha256      TEXT    NOT NULL UNIQUE,       -- hex
    models             TEXT    NOT NULL,              -- JSON array of globs of public model names
    budget_day_nusd    BIGINT,                        -- NULL = no limit
    budget_month_nusd  BIGINT,
    budget_total_nusd  BIGINT,
    rpm                INTEGER,
    tpm                INTEGER,
    team               TEXT,
    owner              TEXT,                          -- metadata "user" ("user" is reserved in PostgreSQL)
    tags               TEXT    NOT NULL,              -- JSON array
    created_at         BIGINT  NOT NULL,
    updated_at         BIGINT  NOT NULL,
    expires_at         BIGINT,
    revoked_at         BIGINT
);

-- Providers, models and price overrides added, changed or removed through the admin API. Each row is one entry of
-- the YAML section, as JSON; the effective configuration is the file with these rows layered over it.
CREATE TABLE runtime_config (
    section    TEXT   NOT NULL,   -- providers | models | pricing
    name       TEXT   NOT NULL,   -- provider or model name; provider/model for pricing
    body       TEXT,              -- JSON; NULL = removed (hides the file's entry of that name)
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (section, name)
);

-- Every admin action: who (the admin credential's name, never a secret), what, when, on what, and how it ended.
CREATE TABLE audit_log (
    ts      BIGINT  NOT NULL,
    id      TEXT    NOT NULL,
    actor   TEXT    NOT NULL,
    remote  TEXT,                 -- the caller's address
    action  TEXT    NOT NULL,     -- key.create, config.provider.put, …
    target  TEXT,                 -- the object acted on: key id, provider name, …
    outcome TEXT    NOT NULL,     -- ok | rejected | failed
    status  INTEGER NOT NULL,     -- the HTTP status the admin got
    detail  TEXT,
    PRIMARY KEY (ts, id)
);
CREATE INDEX audit_by_action ON audit_log (action, ts);

-- Spend of ledger rows deleted by retention, per key and UTC day, so total and monthly budgets still see it.
CREATE TABLE spend_rollup (
    key_name  TEXT   NOT NULL,
    day       BIGINT NOT NULL,    -- UTC midnight, epoch ms
    cost_nusd BIGINT NOT NULL,
    PRIMARY KEY (key_name, day)
);
