#!/usr/bin/env bash
# Runs the shared load-benchmark rig (../shared/bench) with Switchyard, nginx-proxy, Portkey and direct
# nginx in one matrix. Prerequisites: ../shared/bench/install-prereqs.sh (nginx, wrk, Portkey).
# Knobs are the rig's (MODES, CONCURRENCY, DURATION, WARMUP…); results land in $BENCH_RUN_DIR.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
RIG="${BENCH_RIG:-$ROOT/../shared/bench}"
"$ROOT/switchyard" build >/dev/null
export TARGETS="${TARGETS:-nginx nginx-proxy portkey switchyard}"
export SWITCHYARD_URL=http://127.0.0.1:18989/v1/chat/completions
export SWITCHYARD_HEADERS=$'authorization: Bearer sk-bench-dummy'
export SWITCHYARD_START="BENCH_UPSTREAM={UPSTREAM} exec $ROOT/switchyard run --config $HERE/bench.yaml"
export WARMUP="${WARMUP:-30}"
exec "$RIG/run-peer-bench.sh"
