#!/usr/bin/env bash
# Sorted-set hot paths of Vireo next to a real redis-server, measured with redis-benchmark on loopback: a small
# listpack set (10 members), a large listpack set (120 members) and a skiplist set (1000 members).
#
#   src/bench/zset.sh
#   PIPELINE=1 ROUNDS=5 src/bench/zset.sh
#
# Environment (defaults in brackets):
#   REQUESTS   requests per run (-n)          [200000]
#   CLIENTS    parallel connections (-c)      [50]
#   PIPELINE   pipeline depth (-P)            [16]
#   ROUNDS     runs per command, the median   [3]
#   VIREO_JAR  the jar to run                 [target/vireo.jar]
#
# Prints one row per command: the median requests per second of each server and the ratio vireo/redis, then the
# median server CPU time per request (user + system, from /proc) of each and the ratio redis/vireo. On a shared
# machine the CPU cost per request is the steadier of the two figures.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

REQUESTS=${REQUESTS:-200000}
CLIENTS=${CLIENTS:-50}
PIPELINE=${PIPELINE:-16}
ROUNDS=${ROUNDS:-3}
VIREO_JAR=${VIREO_JAR:-target/vireo.jar}

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
bench_require java redis-server redis-cli redis-benchmark
bench_start_pair

load() {
  local port=$1 args
  redis-cli -h 127.0.0.1 -p "$port" FLUSHALL >/dev/null
  for spec in small:10 big:120 huge:1000; do
    args=()
    for ((j = 0; j < ${spec#*:}; j++)); do args+=("$(awk -v j="$j" 'BEGIN { print j * 1.5 }')" "member$j"); done
    redis-cli -h 127.0.0.1 -p "$port" ZADD "${spec%:*}" "${args[@]}" >/dev/null
  done
}

commands=(
  "-t zadd"
  "ZADD small 4.5 member3"
  "ZSCORE small member5"
  "ZRANK small member7"
  "ZRANGE small 0 -1 WITHSCORES"
  "ZREVRANGE small 0 -1"
  "ZRANGEBYSCORE small 3 9"
  "ZSCORE big member100"
  "ZRANGE big 0 9"
  "ZREVRANGE big 0 9"
  "ZINCRBY big 0 member60"
  "ZSCORE huge member500"
  "ZRANGE huge 500 509"
)

# CPU time of a process so far, in clock ticks.
cpu_ticks() {
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# Runs a command ROUNDS times; prints the median rate and the median CPU microseconds per request.
bench() {
  local port=$1 pid=$2 cmd=$3 rates=() costs=() before after
  local hz
  hz=$(getconf CLK_TCK)
  for ((r = 0; r < ROUNDS; r++)); do
    before=$(cpu_ticks "$pid")
    # shellcheck disable=SC2086
    rates+=("$(redis-benchmark -h 127.0.0.1 -p "$port" -n "$REQUESTS" -c "$CLIENTS" -P "$PIPELINE" -q --csv $cmd \
      | awk -F'","' 'NR == 2 { print $2 }')")
    after=$(cpu_ticks "$pid")
    costs+=("$(awk -v t=$((after - before)) -v hz="$hz" -v n="$REQUESTS" 'BEGIN { printf "%.3f", t / hz * 1e6 / n }')")
  done
  echo "$(echo "${rates[*]}" | median) $(echo "${costs[*]}" | median)"
}

echo "redis-server :$redis_port  vireo :$vireo_port  requests=$REQUESTS clients=$CLIENTS pipeline=$PIPELINE"
load "$redis_port"
load "$vireo_port"
echo "encodings (vireo): $(for k in small big huge; do
  redis-cli -h 127.0.0.1 -p "$vireo_port" OBJECT ENCODING "$k"; done | tr '\n' ' ')"
for cmd in "${commands[@]}"; do bench "$vireo_port" "$vireo_pid" "$cmd" >/dev/null; done # JIT warm-up

printf '%-30s %11s %11s %6s %9s %9s %6s\n' command "redis rps" "vireo rps" ratio "redis us" "vireo us" ratio
for cmd in "${commands[@]}"; do
  read -r redis redis_us < <(bench "$redis_port" "$redis_pid" "$cmd")
  read -r vireo vireo_us < <(bench "$vireo_port" "$vireo_pid" "$cmd")
  printf '%-30s %11s %11s %6s %9s %9s %6s\n' "$cmd" "$redis" "$vireo" "$(ratio "$redis" "$vireo")" "$redis_us" \
    "$vireo_us" "$(ratio "$vireo_us" "$redis_us")"
done
