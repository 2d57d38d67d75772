-- Most requests make one attempt that answers. Writing that attempt as its own `attempts` row doubled the ledger's
-- insert work (a second row, its primary key, ~15 more bound values) for data the request row already holds, so such
-- a request now carries its attempt itself: solo_latency_ms is set (the attempt's own duration) and `attempts` gets
-- no row. Requests with several attempts, a failed one or a broken stream keep writing every attempt to `attempts`
-- as before, and leave solo_latency_ms NULL.
ALTER TABLE requests ADD COLUMN solo_latency_ms BIGINT;
ALTER TABLE requests ADD COLUMN solo_ttft_ms BIGINT;
-- 1: the solo attempt reported usage (its tokens are the request's); 0: it reported none (tokens unknown, not 0)
ALTER TABLE requests ADD COLUMN solo_usage SMALLINT;

-- Every attempt, whichever way it was stored: what readers (usage API, budgets, retention roll-up) query.
-- A solo attempt's outcome is the request's status, its tokens and cost are the request's (NULL when it reported
-- no usage, as an `attempts` row would have them).
CREATE VIEW attempt_log AS
SELECT ts, id AS request_id, key_name, 1 AS seq, provider, model, CAST(status AS TEXT) AS outcome,
       solo_latency_ms AS latency_ms, solo_ttft_ms AS ttft_ms,
       CASE WHEN solo_usage = 1 THEN input_tokens END AS input_tokens,
       CASE WHEN solo_usage = 1 THEN cached_tokens END AS cached_tokens,
       CASE WHEN solo_usage = 1 THEN cache_write_tokens END AS cache_write_tokens,
       CASE WHEN solo_usage = 1 THEN output_tokens END AS output_tokens,
       CASE WHEN solo_usage = 1 THEN reasoning_tokens END AS reasoning_tokens,
       cost_nusd, CAST(NULL AS TEXT) AS detail
  FROM requests WHERE solo_latency_ms IS NOT NULL
UNION ALL
SELECT a.ts, a.request_id, r.key_name, a.seq, a.provider, a.model, a.outcome, a.latency_ms, a.ttft_ms, a.input_tokens,
       a.cached_tokens, a.cache_write_tokens, a.output_tokens, a.reasoning_tokens, a.cost_nusd, a.detail
  FROM attempts a JOIN requests r ON r.ts = a.ts AND r.id = a.request_id;

-- Finding a request by id without indexing every id. A gateway-minted id carries the request's arrival millisecond,
-- which is its ts, so (ts, id) — the primary key — finds it. Only rows whose id does not lead back to their ts (ids
-- clients chose with x-request-id, and rows written before this version) are in the id index; by_id marks them.
-- The index on every id cost the writer about a microsecond per request.
ALTER TABLE requests ADD COLUMN by_id SMALLINT;
UPDATE requests SET by_id = 1;
DROP INDEX requests_by_id;
CREATE INDEX requests_by_id ON requests (id) WHERE by_id = 1;
