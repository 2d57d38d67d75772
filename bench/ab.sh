#!/usr/bin/env bash
# A/B of two Switchyard revisions: CPU per request, the figure that carries over between machines.
#
#   bench/ab.sh <rev-a> <rev-b>          e.g. bench/ab.sh 7cd801d HEAD
#
# Both revisions are built in throwaway worktrees (a revision may also be a directory that holds a built
# target/switchyard.jar) and run at the same time, pinned to the same core (GW_CPUS, default 1; the rig's nginx
# mock and the two wrk load generators get LOADGEN_CPUS, default 0), each with a fresh ledger in its own folder.
# Both are loaded at once, each by its own wrk with CONCURRENCY keep-alive connections, for DURATION seconds a
# round: they see the same machine at the same moments. On a shared VM whose speed drifts by tens of percent
# within minutes, taking turns (a, then b) measured the drift; running side by side cancels it (an A/A run of one
# revision against itself: per-round ratios within ±2%).
#
# Warm-up: WARMUP seconds of the same rounds, so the JIT has also seen connections open and close (every round
# opens new ones); a build with more code needs longer before C2 stops recompiling (~2.5 min measured).
#
# Reported per mode (MODES: json, sse) and side: medians over ROUNDS of CPU µs per request, in total (all threads
# of the JVM) and per thread group: "event loop" (vert.x-eventloop-*, the hot path), "writer" (the ledger's
# writer), "gc+vm" (collector, VM, JMX notification and service threads), "jit" (C1/C2 compilers). The last line
# per mode is the median of the per-round ratios b/a of total CPU per request.
# Prerequisites: ../shared/bench/install-prereqs.sh (nginx, wrk).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
RIG="${BENCH_RIG:-$ROOT/../shared/bench}"
[[ $# -eq 2 ]] || { echo "usage: bench/ab.sh <rev-a> <rev-b>" >&2; exit 2; }
MODES="${MODES:-json sse}" ROUNDS="${ROUNDS:-8}" DURATION="${DURATION:-10}" WARMUP="${WARMUP:-150}"
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
JAVA="$("$ROOT/switchyard" java-home)/bin/java"
read -r -a JVM_OPTS <<< "${SWITCHYARD_JAVA_OPTS:-$("$ROOT/switchyard" jvm-opts)}"

start() { # side rev port -> starts the gateway; its JVM's pid lands in PIDS
  local side=$1 rev=$2 port=$3 dir="$WORK/$1"
  if [[ -f "$rev/target/switchyard.jar" ]]; then
    # a copy: rebuilding that checkout during the run must not swap the jar under a running JVM
    mkdir -p "$dir/target" "$dir/bench"
    cp "$rev/target/switchyard.jar" "$dir/target/" && cp "$rev/bench/bench.yaml" "$dir/bench/"
    echo "# $side = $(cd "$rev" && pwd) (prebuilt: $(git -C "$rev" log --oneline -1 2>/dev/null | cut -c1-60))" >&2
  else
    git -C "$ROOT" worktree add --detach "$dir" "$rev" >/dev/null 2>&1
    echo "# $side = $(git -C "$dir" log --oneline -1 | cut -c1-80): building…" >&2
    "$dir/switchyard" build >/dev/null 2>"$WORK/$side-build.log" || { cat "$WORK/$side-build.log" >&2; exit 1; }
  fi
  mkdir -p "$WORK/run-$side"
  sed "s/port: [0-9]*/port: $port/" "$dir/bench/bench.yaml" > "$WORK/run-$side/ab.yaml"
  # the same JVM flags for both sides (this checkout's launcher defaults): a comparison of code, not of flags
  ( cd "$WORK/run-$side" && BENCH_UPSTREAM=http://127.0.0.1:18081/v1 exec setsid taskset -c "$GW_CPUS" \
      "$JAVA" "${JVM_OPTS[@]}" -jar "$dir/target/switchyard.jar" --config ab.yaml ) > "$WORK/$side.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 150); do
    curl -fsS -m 1 "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -fsS -m 1 "http://127.0.0.1:$port/healthz" >/dev/null || { echo "$side did not start; log: $WORK/$side.log" >&2; tail -5 "$WORK/$side.log" >&2; exit 1; }
}

ticks() { # pid -> "all loop writer gc jit": utime+stime of the process (all threads) and of its thread groups
  local all t c v loop=0 writer=0 gc=0 jit=0
  all=$(sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12+$13}')
  for t in /proc/"$1"/task/*; do
    c=$(cat "$t/comm" 2>/dev/null) || continue
    v=$(sed 's/^.*) //' "$t/stat" 2>/dev/null | awk '{print $12+$13}') || continue
    case "$c" in
      vert.x-eventloo*) loop=$((loop + v)) ;;
      switchyard-ledg*) writer=$((writer + v)) ;;
      "VM Thread"|GC*|"Notification Th"*|"Service Thread") gc=$((gc + v)) ;;
      C1*|C2*) jit=$((jit + v)) ;;
    esac
  done
  echo "$all $loop $writer $gc $jit"
}

load() { # port mode secs -> requests completed
  local stream=0; [[ $2 == sse ]] && stream=1
  BENCH_HEADERS='authorization: Bearer sk-bench-dummy' BENCH_STREAM=$stream \
    taskset -c "$LOADGEN_CPUS" wrk -t1 -c"$CONCURRENCY" -d"$3s" --timeout 5s -s "$RIG/post.lua" \
    "http://127.0.0.1:$1/v1/chat/completions" 2>&1 | awk '/requests in/{print $1}'
}

start a "$1" 18990; A_PID=${PIDS[0]}
start b "$2" 18991; B_PID=${PIDS[1]}
CLK=$(getconf CLK_TCK)
median() { sort -g | awk '{v[NR]=$1} END{print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
GROUPS_=(total "event loop" writer "gc+vm" jit)
printf '%-5s %-4s %-10s %s\n' mode side cpu "µs/req per round → median"
for m in $MODES; do
  echo "# $m: warming both up for ${WARMUP}s…" >&2
  for _ in $(seq $(( (WARMUP + DURATION - 1) / DURATION ))); do
    load 18990 "$m" "$DURATION" >/dev/null & w=$!; load 18991 "$m" "$DURATION" >/dev/null; wait $w
  done
  declare -A res=() ratio=""
  for r in $(seq "$ROUNDS"); do
    read -r -a a0 <<< "$(ticks "$A_PID")"; read -r -a b0 <<< "$(ticks "$B_PID")"
    load 18990 "$m" "$DURATION" > "$WORK/na" & w=$!; load 18991 "$m" "$DURATION" > "$WORK/nb"; wait $w
    read -r -a a1 <<< "$(ticks "$A_PID")"; read -r -a b1 <<< "$(ticks "$B_PID")"
    for side in a b; do
      local_n=$(cat "$WORK/n$side")
      for g in 0 1 2 3 4; do
        if [[ $side == a ]]; then d=$((a1[g] - a0[g])); else d=$((b1[g] - b0[g])); fi
        res[$side,$g]+=" $(awk -v d="$d" -v n="$local_n" -v c="$CLK" 'BEGIN{printf "%.1f", d / c * 1e6 / n}')"
      done
    done
    ratio+=" $(awk -v a="${res[a,0]##* }" -v b="${res[b,0]##* }" 'BEGIN{printf "%.3f", b / a}')"
    echo "# $m round $r/$ROUNDS: total a${res[a,0]##* } b${res[b,0]##* } (b/a ${ratio##* }), event loop a${res[a,1]##* } b${res[b,1]##* }" >&2
  done
  for g in 0 1 2 3 4; do
    for side in a b; do
      printf '%-5s %-4s %-10s %s  → %s\n' "$m" "$side" "${GROUPS_[g]}" "${res[$side,$g]# }" "$(tr ' ' '\n' <<< "${res[$side,$g]# }" | median)"
    done
  done
  printf '%-5s %-4s %-10s %s  → %s\n' "$m" "b/a" "total" "${ratio# }" "$(tr ' ' '\n' <<< "${ratio# }" | median)"
done
