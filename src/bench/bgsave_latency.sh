#!/usr/bin/env bash
# GET/SET latency while a BGSAVE of a large dataset runs, Vireo next to a real redis-server in the same run.
#
#   src/bench/bgsave_latency.sh
#   KEYS=200000 ROUNDS=1 src/bench/bgsave_latency.sh
#
# Environment (defaults in brackets):
#   KEYS       keys loaded first with DEBUG POPULATE, 100-byte values      [1000000]
#   REQUESTS   requests of each redis-benchmark run (-n)                   [400000]
#   CLIENTS    parallel connections (-c), pipeline 1                       [50]
#   ROUNDS     rounds; each server gets one quiet run and one with BGSAVE  [2]
#   VIREO_CMD  how Vireo is started                                        [bin/vireo]
#
# For each server and round: redis-benchmark -t get,set over the loaded keys (-r KEYS) once with nothing else
# running, then again with a BGSAVE started half a second in; prints requests per second, p50, p99 and the
# largest latency (ms) of each run, the time the BGSAVE took, and the ratios vireo/redis of the p99 and max
# during the save. Both servers run on free loopback ports and are stopped on exit.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

KEYS=${KEYS:-1000000}
REQUESTS=${REQUESTS:-400000}
CLIENTS=${CLIENTS:-50}
ROUNDS=${ROUNDS:-2}
VIREO_JAR=${VIREO_JAR:-target/vireo.jar}

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
bench_require java redis-server redis-cli redis-benchmark
bench_start_pair --enable-debug-command yes -- --enable-debug-command yes

echo "redis-server :$redis_port  vireo :$vireo_port  keys=$KEYS requests=$REQUESTS clients=$CLIENTS rounds=$ROUNDS"
for port in "$redis_port" "$vireo_port"; do
  redis-cli -h 127.0.0.1 -p "$port" DEBUG POPULATE "$KEYS" key 100 >/dev/null
done
# JIT warm-up of Vireo's GET/SET before anything is measured
redis-benchmark -h 127.0.0.1 -p "$vireo_port" -n 300000 -c "$CLIENTS" -r "$KEYS" -q --csv -t get,set >/dev/null

# Runs the benchmark; prints "test rps p50 p99 max" per test (from redis-benchmark's CSV).
run() {
  local port=$1
  redis-benchmark -h 127.0.0.1 -p "$port" -n "$REQUESTS" -c "$CLIENTS" -r "$KEYS" -d 100 -q --csv -t get,set \
    | awk -F'","' 'NR > 1 { gsub(/"/, "", $0); split($0, f, ","); printf "%s %s %s %s %s\n", f[1], f[2], f[5], f[7], f[8] }'
}

# Waits for the running BGSAVE to end; prints how long it ran (s) by INFO persistence.
await_save() {
  local port=$1
  for _ in $(seq 1200); do
    if redis-cli -h 127.0.0.1 -p "$port" INFO persistence | grep -q '^rdb_bgsave_in_progress:0'; then
      redis-cli -h 127.0.0.1 -p "$port" INFO persistence | tr -d '\r' | awk -F: '/^rdb_last_bgsave_time_sec:/ { print $2 }'
      return
    fi
    sleep 0.1
  done
  echo "?"
}

declare -A p99 mx
printf '%-6s %-6s %-8s %-4s %10s %8s %8s %8s %8s\n' round server run test rps p50_ms p99_ms max_ms save_s
for round in $(seq "$ROUNDS"); do
  for side in redis vireo; do
    port=$redis_port
    [[ $side == vireo ]] && port=$vireo_port
    while read -r test rps p50 p99v maxv; do
      printf '%-6s %-6s %-8s %-4s %10s %8s %8s %8s %8s\n' "$round" "$side" quiet "$test" "$rps" "$p50" "$p99v" "$maxv" -
    done < <(run "$port")
    (sleep 0.5 && redis-cli -h 127.0.0.1 -p "$port" BGSAVE >/dev/null) &
    saver=$!
    out=$(run "$port")
    wait "$saver"
    took=$(await_save "$port")
    while read -r test rps p50 p99v maxv; do
      printf '%-6s %-6s %-8s %-4s %10s %8s %8s %8s %8s\n' "$round" "$side" bgsave "$test" "$rps" "$p50" "$p99v" "$maxv" \
        "$took"
      p99["$side|$test"]="${p99["$side|$test"]:-} $p99v"
      mx["$side|$test"]="${mx["$side|$test"]:-} $maxv"
    done <<<"$out"
  done
done

echo
echo "during BGSAVE, medians over the rounds:"
printf '%-4s %12s %12s %7s %12s %12s %7s\n' test "redis p99" "vireo p99" ratio "redis max" "vireo max" ratio
for test in GET SET; do
  rp=$(median <<<"${p99["redis|$test"]:-}") vp=$(median <<<"${p99["vireo|$test"]:-}")
  rm_=$(median <<<"${mx["redis|$test"]:-}") vm=$(median <<<"${mx["vireo|$test"]:-}")
  printf '%-4s %12s %12s %7s %12s %12s %7s\n' "$test" "$rp" "$vp" "$(ratio "$rp" "$vp")" "$rm_" "$vm" \
    "$(ratio "$rm_" "$vm")"
done
