-- Compact ledger rows: the request row is what the writer pays for on every request, so it holds numbers only.
--   * Names (key, public model, provider, upstream model, catalog version, error type) are stored once, in
--     ledger_names, and rows refer to them by a small integer.
--   * The key is one integer, seq = (ts - 2020-01-01) in ms << 22 | a number the writer picks: time-ordered, so a
--     time range is a key range, and on SQLite it is the rowid (the row lives in the table's one b-tree; a two-column
--     key cost the writer a microsecond per row more). The request's start, ts, is read back from seq.
--   * A gateway-minted id (req_ + 12 hex digits of ts + 16 random hex digits) is stored as its 64 random bits (rid);
--     ids a client chose (x-request-id) keep their text in client_id.
--   * No NOT NULL constraints on the hot table: SQLite checks each one per row, and the writer always sets them.
-- The views requests, attempts and attempt_log keep the columns readers and ad-hoc SQL used before (filter on seq,
-- not ts, to use the key). Placeholders, per dialect (LedgerDatabase): auto_id, seq_key, minted_id (an expression
-- over r.ts and r.rid).

CREATE TABLE ledger_names (
    id   ${auto_id},
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE ledger_requests (
    seq                ${seq_key},         -- ((ts - 1577836800000) << 22) | n; ts = request start, epoch ms
    rid                BIGINT,             -- the minted id's random bits, or a hash of a client-chosen id
    client_id          TEXT,               -- the id when a client chose it (x-request-id); NULL for minted ids
    key_ref            INTEGER,            -- ledger_names: the client key's name, never its secret
    route_ref          INTEGER,            -- ledger_names: public model the client asked for
    provider_ref       INTEGER,            -- ledger_names: answering (or last tried) provider
    model_ref          INTEGER,            -- ledger_names: its upstream model
    catalog_ref        INTEGER,            -- ledger_names: price catalog version
    error_ref          INTEGER,            -- ledger_names: error type
    stream             SMALLINT,
    status             INTEGER,
    truncated          SMALLINT,
    attempts           SMALLINT,
    input_tokens       BIGINT,
    cached_tokens      BIGINT,
    cache_write_tokens BIGINT,
    output_tokens      BIGINT,
    reasoning_tokens   BIGINT,
    cost_nusd          BIGINT,
    latency_us         BIGINT,
    ttft_us            BIGINT,
    overhead_us        BIGINT,
    solo_latency_ms    BIGINT,
    solo_ttft_ms       BIGINT,
    solo_usage         SMALLINT
);
CREATE INDEX ledger_requests_by_client_id ON ledger_requests (client_id) WHERE client_id IS NOT NULL;

CREATE TABLE ledger_attempts (
    seq                BIGINT   NOT NULL,  -- the request's
    n                  SMALLINT NOT NULL,  -- 1, 2, … in the order tried
    provider           TEXT,
    model              TEXT,
    outcome            TEXT     NOT NULL,
    latency_ms         BIGINT   NOT NULL,
    ttft_ms            BIGINT,
    input_tokens       BIGINT,
    cached_tokens      BIGINT,
    cache_write_tokens BIGINT,
    output_tokens      BIGINT,
    reasoning_tokens   BIGINT,
    cost_nusd          BIGINT,
    detail             TEXT,
    PRIMARY KEY (seq, n)
);

-- Rows written before this version keep their ids as client ids (their text is what readers look up).
INSERT INTO ledger_names (name)
SELECT n FROM (SELECT key_name AS n FROM requests UNION SELECT route FROM requests UNION SELECT provider FROM requests
               UNION SELECT model FROM requests UNION SELECT catalog_version FROM requests
               UNION SELECT error_type FROM requests) names
 WHERE n IS NOT NULL;

CREATE TABLE ledger_v4_ids AS
SELECT ts, id, ((ts - 1577836800000) * 4194304) + ROW_NUMBER() OVER (PARTITION BY ts ORDER BY id) - 1 AS seq FROM requests;

INSERT INTO ledger_requests (seq, rid, client_id, key_ref, route_ref, provider_ref, model_ref, catalog_ref, error_ref,
       stream, status, truncated, attempts, input_tokens, cached_tokens, cache_write_tokens, output_tokens, reasoning_tokens,
       cost_nusd, latency_us, ttft_us, overhead_us, solo_latency_ms, solo_ttft_ms, solo_usage)
SELECT i.seq, i.seq, r.id,
       (SELECT id FROM ledger_names WHERE name = r.key_name), (SELECT id FROM ledger_names WHERE name = r.route),
       (SELECT id FROM ledger_names WHERE name = r.provider), (SELECT id FROM ledger_names WHERE name = r.model),
       (SELECT id FROM ledger_names WHERE name = r.catalog_version), (SELECT id FROM ledger_names WHERE name = r.error_type),
       r.stream, r.status, r.truncated, r.attempts, r.input_tokens, r.cached_tokens, r.cache_write_tokens, r.output_tokens,
       r.reasoning_tokens, r.cost_nusd, r.latency_us, r.ttft_us, r.overhead_us, r.solo_latency_ms, r.solo_ttft_ms, r.solo_usage
  FROM requests r JOIN ledger_v4_ids i ON i.ts = r.ts AND i.id = r.id;

INSERT INTO ledger_attempts (seq, n, provider, model, outcome, latency_ms, ttft_ms, input_tokens, cached_tokens,
       cache_write_tokens, output_tokens, reasoning_tokens, cost_nusd, detail)
SELECT i.seq, a.seq, a.provider, a.model, a.outcome, a.latency_ms, a.ttft_ms, a.input_tokens, a.cached_tokens,
       a.cache_write_tokens, a.output_tokens, a.reasoning_tokens, a.cost_nusd, a.detail
  FROM attempts a JOIN ledger_v4_ids i ON i.ts = a.ts AND i.id = a.request_id;

DROP VIEW attempt_log;
DROP TABLE ledger_v4_ids;
DROP TABLE requests;
DROP TABLE attempts;

-- What readers query: the request with its names and its id as text again.
CREATE VIEW requests AS
SELECT r.seq, r.ts, COALESCE(r.client_id, ${minted_id}) AS id, r.rid,
       k.name AS key_name, ro.name AS route, p.name AS provider, m.name AS model,
       r.stream, r.status, e.name AS error_type, r.truncated, r.attempts,
       r.input_tokens, r.cached_tokens, r.cache_write_tokens, r.output_tokens, r.reasoning_tokens, r.cost_nusd,
       c.name AS catalog_version, r.latency_us, r.ttft_us, r.overhead_us, r.solo_latency_ms, r.solo_ttft_ms, r.solo_usage,
       CASE WHEN r.client_id IS NULL THEN NULL ELSE 1 END AS by_id
  FROM (SELECT (seq >> 22) + 1577836800000 AS ts, ledger_requests.* FROM ledger_requests) r
  LEFT JOIN ledger_names k ON k.id = r.key_ref
  LEFT JOIN ledger_names ro ON ro.id = r.route_ref
  LEFT JOIN ledger_names p ON p.id = r.provider_ref
  LEFT JOIN ledger_names m ON m.id = r.model_ref
  LEFT JOIN ledger_names c ON c.id = r.catalog_ref
  LEFT JOIN ledger_names e ON e.id = r.error_ref;

CREATE VIEW attempts AS
SELECT r.seq AS request_seq, r.ts, r.id AS request_id, a.n AS seq, a.provider, a.model, a.outcome, a.latency_ms, a.ttft_ms,
       a.input_tokens, a.cached_tokens, a.cache_write_tokens, a.output_tokens, a.reasoning_tokens, a.cost_nusd, a.detail
  FROM ledger_attempts a JOIN requests r ON r.seq = a.seq;

-- Every attempt, whichever way it was stored (see V3): what the usage API, budgets and the retention roll-up read.
CREATE VIEW attempt_log AS
SELECT r.seq AS request_seq, r.ts, r.id AS request_id, r.key_name, 1 AS seq, r.provider, r.model,
       CAST(r.status AS TEXT) AS outcome, r.solo_latency_ms AS latency_ms, r.solo_ttft_ms AS ttft_ms,
       CASE WHEN r.solo_usage = 1 THEN r.input_tokens END AS input_tokens,
       CASE WHEN r.solo_usage = 1 THEN r.cached_tokens END AS cached_tokens,
       CASE WHEN r.solo_usage = 1 THEN r.cache_write_tokens END AS cache_write_tokens,
       CASE WHEN r.solo_usage = 1 THEN r.output_tokens END AS output_tokens,
       CASE WHEN r.solo_usage = 1 THEN r.reasoning_tokens END AS reasoning_tokens,
       r.cost_nusd, CAST(NULL AS TEXT) AS detail
  FROM requests r WHERE r.solo_latency_ms IS NOT NULL
UNION ALL
SELECT a.seq, r.ts, r.id, r.key_name, a.n, a.provider, a.model, a.outcome, a.latency_ms, a.ttft_ms, a.input_tokens,
       a.cached_tokens, a.cache_write_tokens, a.output_tokens, a.reasoning_tokens, a.cost_nusd, a.detail
  FROM ledger_attempts a JOIN requests r ON r.seq = a.seq;
