#!/usr/bin/env bash
# Interleaved A/B of two Switchyard revisions: CPU per request, the figure that carries over between machines.
#
#   bench/ab.sh <rev-a> <rev-b>          e.g. bench/ab.sh 7cd801d HEAD
#
# Both revisions are built in throwaway worktrees and run side by side, pinned to the same core (GW_CPUS, default
# 1; the rig's nginx mock and wrk get LOADGEN_CPUS, default 0), each with a fresh ledger. After a warm-up, they
# take turns: ROUNDS rounds of DURATION-second wrk runs at CONCURRENCY per mode in MODES (json, sse), A then B.
# Alternating cancels most of the drift of a shared machine; the medians are the result. CPU per request is
# utime+stime of the gateway's JVM (all threads: event loop, ledger writer, GC, JIT) over requests completed;
# "event loop" is the part spent on the threads that serve requests (vert.x-eventloop-*), i.e. the hot path.
# Prerequisites: ../shared/bench/install-prereqs.sh (nginx, wrk).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
RIG="${BENCH_RIG:-$ROOT/../shared/bench}"
[[ $# -eq 2 ]] || { echo "usage: bench/ab.sh <rev-a> <rev-b>" >&2; exit 2; }
MODES="${MODES:-json sse}" ROUNDS="${ROUNDS:-6}" DURATION="${DURATION:-5}" WARMUP="${WARMUP:-20}"
CONCURRENCY="${CONCURRENCY:-16}" GW_CPUS="${GW_CPUS:-1}" LOADGEN_CPUS="${LOADGEN_CPUS:-0}"
export BENCH_RUN_DIR="${BENCH_RUN_DIR:-${TMPDIR:-/tmp}/llm-gw-bench}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/switchyard-ab.XXXXXX")"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; done
  sleep 1
  for side in a b; do git -C "$ROOT" worktree remove --force "$WORK/$side" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

for t in wrk curl taskset; do command -v $t >/dev/null || { echo "missing $t: run ../shared/bench/install-prereqs.sh" >&2; exit 1; }; done
curl -fsS -m 1 http://127.0.0.1:18081/health >/dev/null 2>&1 || MOCK_CPUS="$LOADGEN_CPUS" "$RIG/mock.sh" start >/dev/null

start() { # side rev port -> starts the gateway; its JVM's pid (the launcher execs java) lands in PIDS
  local side=$1 rev=$2 port=$3 dir="$WORK/$1"
  git -C "$ROOT" worktree add --detach "$dir" "$rev" >/dev/null 2>&1
  echo "# $side = $(git -C "$dir" log --oneline -1 | cut -c1-80): building…" >&2
  "$dir/switchyard" build >/dev/null 2>"$WORK/$side-build.log" || { cat "$WORK/$side-build.log" >&2; exit 1; }
  sed "s/port: [0-9]*/port: $port/" "$dir/bench/bench.yaml" > "$dir/bench/ab.yaml"
  ( cd "$dir" && BENCH_UPSTREAM=http://127.0.0.1:18081/v1 exec setsid taskset -c "$GW_CPUS" \
      ./switchyard run --config bench/ab.yaml ) > "$WORK/$side.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 150); do
    curl -fsS -m 1 "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -fsS -m 1 "http://127.0.0.1:$port/healthz" >/dev/null || { echo "$side did not start; log: $WORK/$side.log" >&2; tail -5 "$WORK/$side.log" >&2; exit 1; }
}

ticks() { # pid -> "all event-loop": utime+stime of the process (all threads) and of its event-loop threads
  local all el=0 t
  all=$(sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12+$13}')
  for t in /proc/"$1"/task/*; do
    [[ $(cat "$t/comm" 2>/dev/null) == vert.x-eventloo* ]] || continue
    el=$((el + $(sed 's/^.*) //' "$t/stat" | awk '{print $12+$13}')))
  done
  echo "$all $el"
}

load() { # port mode secs -> requests completed
  local stream=0; [[ $2 == sse ]] && stream=1
  BENCH_HEADERS='authorization: Bearer sk-bench-dummy' BENCH_STREAM=$stream \
    taskset -c "$LOADGEN_CPUS" wrk -t2 -c"$CONCURRENCY" -d"$3s" --timeout 5s -s "$RIG/post.lua" \
    "http://127.0.0.1:$1/v1/chat/completions" 2>&1 | awk '/requests in/{print $1}'
}

start a "$1" 18990; A_PID=${PIDS[0]}
start b "$2" 18991; B_PID=${PIDS[1]}
CLK=$(getconf CLK_TCK)
echo "# warming up both for ${WARMUP}s per mode…" >&2
for m in $MODES; do load 18990 "$m" "$WARMUP" >/dev/null; load 18991 "$m" "$WARMUP" >/dev/null; done

median() { sort -g | awk '{v[NR]=$1} END{print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
printf '%-5s %-4s %-10s %s\n' mode side cpu "µs/req per round → median"
for m in $MODES; do
  declare -A res=([a]="" [b]="") loop=([a]="" [b]="")
  for r in $(seq "$ROUNDS"); do
    for side in a b; do
      port=18990; pid=$A_PID; [[ $side == b ]] && { port=18991; pid=$B_PID; }
      read -r all0 el0 <<< "$(ticks "$pid")"; n=$(load "$port" "$m" "$DURATION"); read -r all1 el1 <<< "$(ticks "$pid")"
      res[$side]+=" $(awk -v d=$((all1 - all0)) -v n="$n" -v c="$CLK" 'BEGIN{printf "%.1f", d / c * 1e6 / n}')"
      loop[$side]+=" $(awk -v d=$((el1 - el0)) -v n="$n" -v c="$CLK" 'BEGIN{printf "%.1f", d / c * 1e6 / n}')"
    done
    echo "# $m round $r/$ROUNDS: total a${res[a]##* } b${res[b]##* }, event loop a${loop[a]##* } b${loop[b]##* }" >&2
  done
  for side in a b; do
    printf '%-5s %-4s %-10s %s  → %s\n' "$m" "$side" total "${res[$side]# }" "$(tr ' ' '\n' <<< "${res[$side]# }" | median)"
    printf '%-5s %-4s %-10s %s  → %s\n' "$m" "$side" "event loop" "${loop[$side]# }" "$(tr ' ' '\n' <<< "${loop[$side]# }" | median)"
  done
done
