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
# Prints one row per command: the median requests per second of each server and the ratio vireo/redis.
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

bench() {
  local port=$1 cmd=$2 rates=()
  for ((r = 0; r < ROUNDS; r++)); do
    # shellcheck disable=SC2086
    rates+=("$(redis-benchmark -h 127.0.0.1 -p "$port" -n "$REQUESTS" -c "$CLIENTS" -P "$PIPELINE" -q --csv $cmd \
      | awk -F'","' 'NR == 2 { print $2 }')")
  done
  echo "${rates[*]}" | median
}

echo "redis-server :$redis_port  vireo :$vireo_port  requests=$REQUESTS clients=$CLIENTS pipeline=$PIPELINE"
load "$redis_port"
load "$vireo_port"
echo "encodings (vireo): $(for k in small big huge; do
  redis-cli -h 127.0.0.1 -p "$vireo_port" OBJECT ENCODING "$k"; done | tr '\n' ' ')"
for cmd in "${commands[@]}"; do bench "$vireo_port" "$cmd" >/dev/null; done # JIT warm-up

printf '%-32s %14s %14s %7s\n' command "redis rps" "vireo rps" ratio
for cmd in "${commands[@]}"; do
  redis=$(bench "$redis_port" "$cmd")
  vireo=$(bench "$vireo_port" "$cmd")
  printf '%-32s %14s %14s %7s\n' "$cmd" "$redis" "$vireo" "$(ratio "$redis" "$vireo")"
done
