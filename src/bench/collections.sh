#!/usr/bin/env bash
# Hash and set commands of Vireo next to a real redis-server, measured with redis-benchmark on loopback, in both
# encodings of each type: a small hash (listpack) and a large one (hashtable), an intset and a hashtable set.
#
#   src/bench/collections.sh
#   PIPELINES="16" REQUESTS=500000 src/bench/collections.sh
#
# Environment (defaults in brackets):
#   REQUESTS         requests per run (-n)                          [200000]
#   CLIENTS          parallel connections (-c)                      [50]
#   PIPELINES        pipeline depths to run (-P), space separated   ["1 16"]
#   WARMUP_REQUESTS  requests of the JIT warm-up run against Vireo  [300000]
#   VIREO_JAR        the jar to run                                  [target/vireo.jar]
#
# Each workload runs against redis-server, then Vireo, on the same data (loaded the same way into both first).
# Prints one row per workload and pipeline depth: requests per second of each server and the ratio vireo/redis.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

REQUESTS=${REQUESTS:-200000}
CLIENTS=${CLIENTS:-50}
PIPELINES=${PIPELINES:-1 16}
WARMUP_REQUESTS=${WARMUP_REQUESTS:-300000}
VIREO_JAR=${VIREO_JAR:-target/vireo.jar}

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
bench_require java redis-server redis-cli redis-benchmark
bench_start_pair

echo "redis-server :$redis_port  vireo :$vireo_port  requests=$REQUESTS clients=$CLIENTS pipelines=\"$PIPELINES\""

# name|-r range (0: none)|command; __rand_int__ is redis-benchmark's random number
workloads=(
  "HSET small (listpack)|100|HSET small:__rand_int__ field:__rand_int__ value-__rand_int__"
  "HGET small (listpack)|100|HGET small:__rand_int__ field:__rand_int__"
  "HGETALL small (listpack)|100|HGETALL small:__rand_int__"
  "HSET big (hashtable)|100000|HSET big field:__rand_int__ value-__rand_int__"
  "HGET big (hashtable)|100000|HGET big field:__rand_int__"
  "SADD ints (intset)|100|SADD ints:__rand_int__ __rand_int__"
  "SISMEMBER ints (intset)|100|SISMEMBER ints:__rand_int__ __rand_int__"
  "SADD strs (hashtable)|100000|SADD strs member:__rand_int__"
  "SISMEMBER strs (hashtable)|100000|SISMEMBER strs member:__rand_int__"
  "SPOP strs (hashtable)|0|SPOP strs"
)

load() {
  local port=$1
  redis-cli -h 127.0.0.1 -p "$port" FLUSHALL >/dev/null
  # 100 small hashes of up to 100 fields, 100 intsets of up to 100 members, a hash of 100k fields, a set of 865k
  redis-benchmark -h 127.0.0.1 -p "$port" -n 200000 -c 50 -P 16 -r 100 -q \
    HSET small:__rand_int__ field:__rand_int__ value-__rand_int__ >/dev/null
  redis-benchmark -h 127.0.0.1 -p "$port" -n 200000 -c 50 -P 16 -r 100 -q SADD ints:__rand_int__ __rand_int__ >/dev/null
  redis-benchmark -h 127.0.0.1 -p "$port" -n 400000 -c 50 -P 16 -r 100000 -q \
    HSET big field:__rand_int__ value-__rand_int__ >/dev/null
  redis-benchmark -h 127.0.0.1 -p "$port" -n 2000000 -c 50 -P 16 -r 1000000 -q SADD strs member:__rand_int__ >/dev/null
}

# Runs one workload; prints its requests per second.
bench() {
  local port=$1 pipeline=$2 range=$3 n=$4
  shift 4
  local r=()
  [[ $range != 0 ]] && r=(-r "$range")
  redis-benchmark -h 127.0.0.1 -p "$port" -n "$n" -c "$CLIENTS" -P "$pipeline" "${r[@]}" -q --csv "$@" \
    | awk -F'","' 'NR > 1 { print $2 }'
}

load "$redis_port"
load "$vireo_port"
echo "warming up vireo ($WARMUP_REQUESTS requests per workload)"
for w in "${workloads[@]}"; do
  IFS='|' read -r name range cmd <<<"$w"
  [[ $name == SPOP* ]] && continue
  # shellcheck disable=SC2086
  bench "$vireo_port" 16 "$range" "$WARMUP_REQUESTS" $cmd >/dev/null
done
load "$vireo_port"

echo
printf '%-28s %8s %14s %14s %7s\n' workload pipeline "redis rps" "vireo rps" ratio
for pipeline in $PIPELINES; do
  for w in "${workloads[@]}"; do
    IFS='|' read -r name range cmd <<<"$w"
    # shellcheck disable=SC2086
    redis=$(bench "$redis_port" "$pipeline" "$range" "$REQUESTS" $cmd)
    # shellcheck disable=SC2086
    vireo=$(bench "$vireo_port" "$pipeline" "$range" "$REQUESTS" $cmd)
    printf '%-28s %8s %14s %14s %7s\n' "$name" "$pipeline" "$redis" "$vireo" "$(ratio "$redis" "$vireo")"
  done
done
