#!/usr/bin/env bash
# Append-only file: SET throughput with appendonly yes under appendfsync everysec and always, and the time of a
# BGREWRITEAOF of 1M keys, Vireo next to a real redis-server in one run, both writing to the same disk.
#
#   src/bench/aof.sh
#   ROUNDS=5 REQUESTS=200000 src/bench/aof.sh
#   REWRITE_KEYS=0 src/bench/aof.sh                     # throughput only
#
# Environment (defaults in brackets):
#   REQUESTS         SETs per throughput run (-n)                                      [100000]
#   CLIENTS          parallel connections (-c)                                         [50]
#   PIPELINES        pipeline depths to run (-P), space separated                      ["1 16"]
#   POLICIES         appendfsync policies to run, space separated                      ["everysec always"]
#   ROUNDS           rounds; in each the servers take turns, in swapped order          [3]
#   WARMUP_REQUESTS  SETs of the JIT warm-up against Vireo, per pipeline depth         [300000]
#   REWRITE_KEYS     keys of the rewrite timing (DEBUG POPULATE; 0: skip that part)    [1000000]
#   PREAMBLE         aof-use-rdb-preamble of both servers                              [yes]
#   VIREO_JAR        the jar to run                                                    [target/vireo.jar]
#
# Both servers start with appendonly yes, their dirs side by side under one temp dir (so on the same disk), and
# automatic rewrites off (auto-aof-rewrite-percentage 0) so no rewrite lands inside a measured run. For each policy
# (CONFIG SET appendfsync on both) and pipeline depth, ROUNDS rounds of `redis-benchmark -t set`, the servers
# taking turns in swapped order: the median requests/s of each, their ratio vireo/redis, and the median of the
# ratios of each round's back-to-back pair. Then FLUSHALL, DEBUG POPULATE REWRITE_KEYS, BGREWRITEAOF, and INFO
# aof_rewrite_in_progress polled every 50 ms until it is 0 again: the wall time of each rewrite, and the size of
# the base file it wrote. Both servers run on free loopback ports and are stopped on exit. Prints the load average
# before and after.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

REQUESTS=${REQUESTS:-100000}
CLIENTS=${CLIENTS:-50}
PIPELINES=${PIPELINES:-1 16}
POLICIES=${POLICIES:-everysec always}
ROUNDS=${ROUNDS:-3}
WARMUP_REQUESTS=${WARMUP_REQUESTS:-300000}
REWRITE_KEYS=${REWRITE_KEYS:-1000000}
PREAMBLE=${PREAMBLE:-yes}
VIREO_JAR=${VIREO_JAR:-target/vireo.jar}

# shellcheck source=src/bench/lib.sh
source src/bench/lib.sh
bench_require java redis-server redis-cli redis-benchmark

mkdir -p "$workdir/redis" "$workdir/vireo"
aof=(--appendonly yes --appendfsync everysec --auto-aof-rewrite-percentage 0 --aof-use-rdb-preamble "$PREAMBLE"
  --save "" --enable-debug-command yes)
bench_start_pair --dir "$workdir/vireo" "${aof[@]}" -- --dir "$workdir/redis" "${aof[@]}"

cli() {
  local port=$1
  shift
  redis-cli -h 127.0.0.1 -p "$port" "$@"
}

info_field() {
  cli "$1" INFO persistence | tr -d '\r' | awk -F: -v f="$2" '$1 == f { print $2 }'
}

echo "redis-server :$redis_port (pid $redis_pid)  vireo :$vireo_port (pid $vireo_pid)  $(nproc) cores"
echo "both dirs under $workdir ($(df --output=source,fstype "$workdir" | tail -1 | tr -s ' '))"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# Wait until both wrote their first base (aof_enabled:1 is reported once it is on disk).
for port in "$vireo_port" "$redis_port"; do
  for _ in $(seq 300); do
    [[ $(info_field "$port" aof_enabled) == 1 && $(info_field "$port" aof_rewrite_in_progress) == 0 ]] && break
    sleep 0.1
  done
done

# Let the JIT compile the hot path before anything is measured.
echo "warming up vireo ($WARMUP_REQUESTS SETs per pipeline depth)"
for pipeline in $PIPELINES; do
  redis-benchmark -h 127.0.0.1 -p "$vireo_port" -n "$WARMUP_REQUESTS" -c "$CLIENTS" -P "$pipeline" -q --csv \
    -t set >/dev/null
done

# One run; prints the requests per second.
bench() {
  local port=$1 pipeline=$2
  redis-benchmark -h 127.0.0.1 -p "$port" -n "$REQUESTS" -c "$CLIENTS" -P "$pipeline" -q --csv -t set \
    | awk -F'","' 'NR > 1 { print $2 }'
}

declare -A runs
for policy in $POLICIES; do
  cli "$vireo_port" CONFIG SET appendfsync "$policy" >/dev/null
  cli "$redis_port" CONFIG SET appendfsync "$policy" >/dev/null
  for round in $(seq "$ROUNDS"); do
    order="redis vireo"
    ((round % 2 == 0)) && order="vireo redis"
    for pipeline in $PIPELINES; do
      for side in $order; do
        port=${side}_port
        rps=$(bench "${!port}" "$pipeline")
        runs["$side|$policy|$pipeline"]+="$rps "
        printf 'appendfsync %-8s round %d  -P %-3s %-6s %12s rps\n' "$policy" "$round" "$pipeline" "$side" "$rps"
        eval "last_$side=\$rps"
      done
      runs["ratio|$policy|$pipeline"]+="$(ratio "$last_redis" "$last_vireo") "
    done
  done
done

echo
printf '%-32s %8s %14s %14s %7s %12s\n' test pipeline "redis rps" "vireo rps" ratio "round ratio"
for policy in $POLICIES; do
  for pipeline in $PIPELINES; do
    redis=$(median <<<"${runs["redis|$policy|$pipeline"]}")
    vireo=$(median <<<"${runs["vireo|$policy|$pipeline"]}")
    printf '%-32s %8s %14s %14s %7s %12s\n' "SET $policy (median of $ROUNDS)" "$pipeline" "$redis" "$vireo" \
      "$(ratio "$redis" "$vireo")" "$(median <<<"${runs["ratio|$policy|$pipeline"]}")"
  done
done

if ((REWRITE_KEYS > 0)); then
  echo
  declare -A rewrite_secs
  for side in redis vireo; do
    port=${side}_port
    cli "${!port}" CONFIG SET appendfsync everysec >/dev/null
    cli "${!port}" FLUSHALL >/dev/null
    cli "${!port}" DEBUG POPULATE "$REWRITE_KEYS" >/dev/null
    # a rewrite of the earlier one, if any, is over first
    while [[ $(info_field "${!port}" aof_rewrite_in_progress) != 0 ]]; do sleep 0.05; done
    start=$(date +%s.%N)
    reply=$(cli "${!port}" BGREWRITEAOF)
    while [[ $(info_field "${!port}" aof_rewrite_in_progress) != 0 \
      || $(info_field "${!port}" aof_rewrite_scheduled) != 0 ]]; do
      sleep 0.05
    done
    end=$(date +%s.%N)
    rewrite_secs[$side]=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
    base=$(ls -1 "$workdir/$side/appendonlydir" | grep '\.base\.' || true)
    printf '%-6s BGREWRITEAOF of %d keys: %s s (%s; %s, %s bytes, status %s)\n' "$side" "$REWRITE_KEYS" \
      "${rewrite_secs[$side]}" "$reply" "$base" "$(stat -c %s "$workdir/$side/appendonlydir/$base")" \
      "$(info_field "${!port}" aof_last_bgrewrite_status)"
  done
  printf 'BGREWRITEAOF time ratio vireo/redis: %s\n' "$(ratio "${rewrite_secs[redis]}" "${rewrite_secs[vireo]}")"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
