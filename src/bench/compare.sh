#!/usr/bin/env bash
# Throughput of Vireo next to a real redis-server, measured with redis-benchmark on loopback.
#
#   src/bench/compare.sh
#   TESTS=lpush,lpop,sadd,hset,zadd,lrange_100 PIPELINES="1 16" src/bench/compare.sh
#
# Environment (defaults in brackets):
#   TESTS            redis-benchmark -t list                        [set,get]
#   REQUESTS         requests per run (-n)                          [200000]
#   CLIENTS          parallel connections (-c)                      [50]
#   PIPELINES        pipeline depths to run (-P), space separated   ["1 16"]
#   WARMUP_REQUESTS  requests of the JIT warm-up run against Vireo  [500000]
#   VIREO_JAR        the jar to run                                  [target/vireo.jar]
#   SCRIPT           a Lua script: benchmark EVALSHA of it (1 key) instead of TESTS, e.g.
#                    SCRIPT="return redis.call('incr', KEYS[1])" src/bench/compare.sh
#
# Both servers run on free loopback ports and are stopped on exit. Prints one row per test and pipeline
# depth: requests per second of each server and the ratio vireo/redis.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

TESTS=${TESTS:-set,get}
REQUESTS=${REQUESTS:-200000}
CLIENTS=${CLIENTS:-50}
PIPELINES=${PIPELINES:-1 16}
WARMUP_REQUESTS=${WARMUP_REQUESTS:-500000}
VIREO_JAR=${VIREO_JAR:-target/vireo.jar}
SCRIPT=${SCRIPT:-}

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
bench_require java redis-server redis-cli redis-benchmark
bench_start_pair

echo "redis-server :$redis_port  vireo :$vireo_port  tests=$TESTS requests=$REQUESTS clients=$CLIENTS pipelines=\"$PIPELINES\""

# What redis-benchmark runs: the -t tests, or EVALSHA of SCRIPT (loaded into both servers first).
workload=(-t "$TESTS")
if [[ -n $SCRIPT ]]; then
  sha=$(redis-cli -h 127.0.0.1 -p "$vireo_port" SCRIPT LOAD "$SCRIPT")
  redis-cli -h 127.0.0.1 -p "$redis_port" SCRIPT LOAD "$SCRIPT" >/dev/null
  workload=(EVALSHA "$sha" 1 "key:__rand_int__")
fi

# Let the JIT compile the hot path before anything is measured.
echo "warming up vireo ($WARMUP_REQUESTS requests per test and pipeline depth)"
for pipeline in $PIPELINES; do
  redis-benchmark -h 127.0.0.1 -p "$vireo_port" -n "$WARMUP_REQUESTS" -c "$CLIENTS" \
    -P "$pipeline" -q --csv "${workload[@]}" >/dev/null
done

# Runs one benchmark; prints "test<TAB>rps" per row of the CSV ("test","rps",... header first).
bench() {
  local port=$1 pipeline=$2
  redis-benchmark -h 127.0.0.1 -p "$port" -n "$REQUESTS" -c "$CLIENTS" -P "$pipeline" -q --csv "${workload[@]}" \
    | awk -F'","' 'NR > 1 { gsub(/^"/, "", $1); printf "%s\t%s\n", substr($1, 1, 40), $2 }'
}

declare -A redis_rps vireo_rps
rows=()
for pipeline in $PIPELINES; do
  redis-cli -h 127.0.0.1 -p "$redis_port" FLUSHALL >/dev/null
  while IFS=$'\t' read -r test rps; do
    redis_rps["$test|$pipeline"]=$rps
    rows+=("$test|$pipeline")
  done < <(bench "$redis_port" "$pipeline")
  redis-cli -h 127.0.0.1 -p "$vireo_port" FLUSHALL >/dev/null
  while IFS=$'\t' read -r test rps; do
    vireo_rps["$test|$pipeline"]=$rps
  done < <(bench "$vireo_port" "$pipeline")
done

echo
printf '%-40s %8s %14s %14s %7s\n' test pipeline "redis rps" "vireo rps" ratio
for row in "${rows[@]}"; do
  test=${row%|*}
  pipeline=${row##*|}
  redis=${redis_rps[$row]:-}
  vireo=${vireo_rps[$row]:-}
  ratio=$(awk -v r="$redis" -v v="$vireo" 'BEGIN { if (r > 0 && v != "") printf "%.2f", v / r; else print "-" }')
  printf '%-40s %8s %14s %14s %7s\n' "$test" "$pipeline" "$redis" "${vireo:--}" "$ratio"
done
