-- Most requests make one attempt that answers. Writing that attempt as its own `attempts` row doubled the ledger's
-- insert work (a second row, its primary key, ~15 more bound values) for data the request row already holds, so such
-- a request now carries its attempt itself: solo_latency_ms is set (the attempt's own duration) and `attempts` gets
-- no row. Requests with several attempts, a failed one, a broken stream or an answer without usage keep writing
-- every attempt to `attempts` as before, and leave solo_latency_ms NULL.
ALTER TABLE requests ADD COLUMN solo_latency_ms BIGINT;
ALTER TABLE requests ADD COLUMN solo_ttft_ms BIGINT;

-- Every attempt, whichever way it was stored: what readers (usage API, budgets, retention roll-up) query.
-- A solo attempt's outcome is the request's status, its tokens and cost are the request's.
CREATE VIEW attempt_log AS
SELECT ts, id AS request_id, key_name, 1 AS seq, provider, model, CAST(status AS TEXT) AS outcome,
       solo_latency_ms AS latency_ms, solo_ttft_ms AS ttft_ms, input_tokens, cached_tokens, cache_write_tokens,
       output_tokens, reasoning_tokens, cost_nusd, CAST(NULL AS TEXT) AS detail
  FROM requests WHERE solo_latency_ms IS NOT NULL
UNION ALL
SELECT a.ts, a.request_id, r.key_name, a.seq, a.provider, a.model, a.outcome, a.latency_ms, a.ttft_ms, a.input_tokens,
       a.cached_tokens, a.cache_write_tokens, a.output_tokens, a.reasoning_tokens, a.cost_nusd, a.detail
  FROM attempts a JOIN requests r ON r.ts = a.ts AND r.id = a.request_id;
