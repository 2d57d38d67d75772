-- Switchyard usage ledger. One schema for SQLite and PostgreSQL (portable types only).
-- Money is integer nano-USD (1e-9 USD): exact sums in SQL on both databases, no float drift.
-- Times are epoch milliseconds (ts) and microseconds (durations).

-- One row per request.
CREATE TABLE requests (
    ts                 BIGINT   NOT NULL,  -- request start, epoch ms
    id                 TEXT     NOT NULL,  -- x-switchyard-request-id
    key_name           TEXT,               -- the client key's name, never its secret
    route              TEXT,               -- public model the client asked for
    provider           TEXT,               -- answering (or last tried) provider
    model              TEXT,               -- its upstream model
    stream             SMALLINT NOT NULL,
    status             INTEGER  NOT NULL,  -- HTTP status the client got (499: client went away)
    error_type         TEXT,
    truncated          SMALLINT NOT NULL,  -- a stream broke after content had been sent
    attempts           SMALLINT NOT NULL,
    input_tokens       BIGINT   NOT NULL,  -- all prompt tokens of all attempts, cached included
    cached_tokens      BIGINT   NOT NULL,
    cache_write_tokens BIGINT   NOT NULL,
    output_tokens      BIGINT   NOT NULL,  -- reasoning included
    reasoning_tokens   BIGINT   NOT NULL,
    cost_nusd          BIGINT,             -- NULL = unknown (no price, or no usage reported); never a silent 0
    catalog_version    TEXT,
    latency_us         BIGINT   NOT NULL,
    ttft_us            BIGINT,             -- streams only
    overhead_us        BIGINT   NOT NULL,
    PRIMARY KEY (ts, id)                   -- time-clustered; makes replays after an outage idempotent
);
CREATE INDEX requests_by_id ON requests (id);

-- One row per upstream attempt: where a provider's tokens and spend really land (a failed-over or broken
-- attempt bills the provider that produced it, not the one that finally answered).
CREATE TABLE attempts (
    ts                 BIGINT   NOT NULL,  -- the request's ts
    request_id         TEXT     NOT NULL,
    seq                SMALLINT NOT NULL,  -- 1, 2, … in the order tried
    provider           TEXT,
    model              TEXT,
    outcome            TEXT     NOT NULL,  -- HTTP status or failure class (timeout, dropped, connect_error…)
    latency_ms         BIGINT   NOT NULL,
    ttft_ms            BIGINT,
    input_tokens       BIGINT,             -- NULL: the attempt reported no usage
    cached_tokens      BIGINT,
    cache_write_tokens BIGINT,
    output_tokens      BIGINT,
    reasoning_tokens   BIGINT,
    cost_nusd          BIGINT,
    detail             TEXT,
    PRIMARY KEY (ts, request_id, seq)
);
