#!/usr/bin/env bash
# A cache under maxmemory: the hit ratio of a Zipf load, SET throughput while keys are evicted, and the memory
# of 1M small keys, Vireo next to a real redis-server in one run.
#
#   src/bench/cache.sh
#   QUICK=1 src/bench/cache.sh                        # a short run: smaller key space, fewer rounds
#   POPULATE=0 ROUNDS=0 src/bench/cache.sh            # hit ratio only
#   KEYS=1000000 POLICIES=allkeys-lru src/bench/cache.sh
#   POLICIES="allkeys-lru allkeys-random" FRACTION=10 ROUNDS=0 POPULATE=0 src/bench/cache.sh
#
# Environment (defaults in brackets; QUICK=1 changes those marked *):
#   KEYS        * key space of the Zipf load (N)                                   [300000; 100000]
#   OPS         * measured operations of each hit-ratio run                        [600000; 200000]
#   WARMUP_OPS  * operations before them, not counted (the cache fills)            [2*KEYS; 3*KEYS]
#   ZIPF          Zipf exponent s                                                  [0.99]
#   READS         share of GETs; the rest are SETs                                 [0.9]
#   SEED          the generator's seed, the same for both servers                  [1]
#   RATE          operations a second at most for both (0: unthrottled)            [0]
#   POLICIES      maxmemory-policy of each hit-ratio row (empty: skip that part)   ["allkeys-lru allkeys-lfu"]
#   FRACTION      maxmemory leaves room for 1/FRACTION of the filled key space     [3]
#   BUDGET        own: each server's maxmemory from its own bytes per key;         [own]
#                 redis: the maxmemory computed from Redis's bytes, for both
#   REQUESTS    * SETs of each throughput run (-n, -P 16, -d 100)                  [1000000; 300000]
#   KEYSPACE      -r of the throughput runs                                        [10000000]
#   EVICT_MB      data room of the throughput part: maxmemory is each server's     [64]
#                 empty used_memory plus this many MB
#   CLIENTS       parallel connections of redis-benchmark (-c)                     [50]
#   BASELINE      1: the same SETs also with maxmemory 0 (FLUSHALL first)          [0]
#   ROUNDS      * throughput rounds; the servers take turns, in swapped order      [3; 1] (0: skip)
#   POPULATE    * keys of the memory part (DEBUG POPULATE; 0: skip)                [1000000; 200000]
#   SIZES         value sizes of the memory part, one fresh pair each              ["100 10"]
#   SETTLE        seconds of quiet before memory is read                           [5; 2]
#   VIREO_JAR     the jar to run                                                   [target/vireo.jar]
#
# 1. Hit ratio. `src/bench/zipf_load.py fill` SETs key:0..key:N-1 to 100-byte values on each server with
#    maxmemory 0; the growth of used_memory over the empty server gives its bytes per key. After FLUSHALL, each
#    server gets maxmemory = its empty used_memory + (its filled growth)/FRACTION, so each holds about 1/FRACTION of
#    the key space whatever a key costs it: the rows compare the eviction policies, not the bytes of a key (the
#    memory part does that). BUDGET=redis gives Vireo Redis's maxmemory instead, which folds the two together.
#    Then per policy (FLUSHALL and CONFIG RESETSTAT first) `zipf_load.py run`: a cache-aside load, GETs of
#    Zipf(s)-ranked keys with a SET after each miss, plus plain SETs, the same draws for both servers. Printed:
#    each server's hit ratio (hits/GETs of the measured operations), the difference in points (vireo - redis),
#    the keys held at the end and the keys evicted. Last, the same operations without a server (`zipf_load.py
#    model`): the hit ratio of an exact LRU holding as many keys as each server held (after the first policy's
#    run), and of an unbounded cache, whose misses are only the first touches of keys: what no policy can avoid.
# 2. SET with eviction. FLUSHALL, maxmemory = empty used_memory + EVICT_MB MB, allkeys-lru; `redis-benchmark -t
#    set -P 16 -r KEYSPACE -d 100` fills both until they evict (this also warms Vireo's JIT up), then ROUNDS
#    rounds of the same, the servers taking turns: the median requests/s of each, their ratio vireo/redis, the
#    median of each round's back-to-back ratio, and the keys evicted during the measured runs. With BASELINE=1,
#    the same again after FLUSHALL with maxmemory 0 (the key count then grows with every run).
# 3. Memory. For each size, a fresh pair with enable-debug-command: INFO used_memory, used_memory_rss and VmRSS
#    after SETTLE seconds, DEBUG POPULATE POPULATE key SIZE, SETTLE seconds, the same again (and Vireo's VmRSS
#    once more after `jcmd PID GC.run`), and the ratios vireo/redis.
# Servers run on free loopback ports and are stopped on exit. Prints the load average before and after.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

QUICK=${QUICK:-0}
if [[ $QUICK == 1 ]]; then
  KEYS=${KEYS:-100000} OPS=${OPS:-200000} REQUESTS=${REQUESTS:-300000} ROUNDS=${ROUNDS:-1}
  POPULATE=${POPULATE:-200000} SETTLE=${SETTLE:-2}
  WARMUP_OPS=${WARMUP_OPS:-$((3 * KEYS))}
fi
KEYS=${KEYS:-300000}
OPS=${OPS:-600000}
WARMUP_OPS=${WARMUP_OPS:-$((2 * KEYS))}
ZIPF=${ZIPF:-0.99}
READS=${READS:-0.9}
SEED=${SEED:-1}
RATE=${RATE:-0}
POLICIES=${POLICIES-allkeys-lru allkeys-lfu}
FRACTION=${FRACTION:-3}
BUDGET=${BUDGET:-own}
REQUESTS=${REQUESTS:-1000000}
KEYSPACE=${KEYSPACE:-10000000}
EVICT_MB=${EVICT_MB:-64}
CLIENTS=${CLIENTS:-50}
BASELINE=${BASELINE:-0}
ROUNDS=${ROUNDS:-3}
POPULATE=${POPULATE:-1000000}
SIZES=${SIZES:-100 10}
SETTLE=${SETTLE:-5}
VIREO_JAR=${VIREO_JAR:-target/vireo.jar}

[[ $BUDGET == own || $BUDGET == redis ]] || { echo "BUDGET is own or redis, not $BUDGET" >&2; exit 1; }

# shellcheck source=src/bench/lib.sh
source src/bench/lib.sh
bench_require java jcmd python3 redis-server redis-cli redis-benchmark

# No save rules, so that Vireo neither writes a dump.rdb on exit nor loads one at the next start.
vireo_args=(--save "" --dir "$workdir")

cli() {
  local port=$1
  shift
  redis-cli -h 127.0.0.1 -p "$port" "$@"
}

info_field() {
  cli "$1" INFO | tr -d '\r' | awk -F: -v f="$2" '$1 == f { print $2 }'
}

rss() {
  awk '$1 == "VmRSS:" { print $2 * 1024 }' "/proc/$1/status"
}

mb() {
  awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1048576 }'
}

# Reads a key=value field of zipf_load.py's last line.
field() {
  tr ' ' '\n' <<<"$1" | awk -F= -v f="$2" '$1 == f { print $2 }'
}

stop_pair() {
  stop "$vireo_pid"
  stop "$redis_pid"
  vireo_pid="" redis_pid=""
}

# zipf_load.py MODE on the server at PORT: zipf PORT MODE [options]
zipf() {
  local port=$1 mode=$2
  shift 2
  python3 src/bench/zipf_load.py "$mode" --port "$port" --keys "$KEYS" "$@"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)  $(nproc) cores"

# --- 1. Hit ratio -------------------------------------------------------------------------------------------

if [[ -n $POLICIES ]]; then
  bench_start_pair "${vireo_args[@]}"
  echo "redis-server :$redis_port (pid $redis_pid)  vireo :$vireo_port (pid $vireo_pid)"
  echo
  echo "== hit ratio: Zipf s=$ZIPF over $KEYS keys, $(awk -v r="$READS" 'BEGIN { print r * 100 }')% GET (a miss" \
    "SETs the key), the rest SET, 100 B values, seed $SEED, $OPS ops after $WARMUP_OPS of warm-up"
  declare -A maxmemory
  for side in redis vireo; do
    port=${side}_port
    empty=$(info_field "${!port}" used_memory)
    filled_line=$(zipf "${!port}" fill)
    filled=$(info_field "${!port}" used_memory)
    per_key=$(((filled - empty) / KEYS))
    maxmemory[$side]=$((empty + (filled - empty) / FRACTION))
    printf '%-6s used_memory empty %s, with %d keys %s (%d B a key; fill %s s)\n' "$side" "$(mb "$empty")" \
      "$KEYS" "$(mb "$filled")" "$per_key" "$(field "$filled_line" seconds)"
    cli "${!port}" FLUSHALL >/dev/null
  done
  if [[ $BUDGET == redis ]]; then
    maxmemory[vireo]=${maxmemory[redis]}
  fi
  printf 'maxmemory (BUDGET=%s): redis %s, vireo %s\n' "$BUDGET" "${maxmemory[redis]}" "${maxmemory[vireo]}"

  declare -A hit_ratio held
  for policy in $POLICIES; do
    for side in redis vireo; do
      port=${side}_port
      cli "${!port}" FLUSHALL >/dev/null
      cli "${!port}" CONFIG RESETSTAT >/dev/null
      cli "${!port}" CONFIG SET maxmemory-policy "$policy" >/dev/null
      cli "${!port}" CONFIG SET maxmemory "${maxmemory[$side]}" >/dev/null
      line=$(zipf "${!port}" run --ops "$OPS" --warmup "$WARMUP_OPS" --zipf "$ZIPF" --reads "$READS" \
        --seed "$SEED" --rate "$RATE")
      hit_ratio["$policy|$side"]=$(field "$line" hit_ratio)
      # the keys each held at the end of the first policy's run, for the exact-LRU references below
      [[ -z ${held[$side]:-} ]] && held[$side]=$(cli "${!port}" DBSIZE)
      printf '%-12s %-6s hit ratio %s  keys %s  evicted %s  used_memory %s  %s ops/s%s\n' "$policy" "$side" \
        "$(field "$line" hit_ratio)" "$(cli "${!port}" DBSIZE)" "$(info_field "${!port}" evicted_keys)" \
        "$(mb "$(info_field "${!port}" used_memory)")" "$(field "$line" ops_per_sec)" \
        "$( (($(field "$line" errors) > 0)) && echo "  errors $(field "$line" errors)")"
    done
  done
  cli "$redis_port" CONFIG SET maxmemory 0 >/dev/null
  cli "$vireo_port" CONFIG SET maxmemory 0 >/dev/null

  echo
  printf '%-14s %9s %9s %15s\n' policy redis vireo "vireo - redis"
  for policy in $POLICIES; do
    awk -v p="$policy" -v r="${hit_ratio["$policy|redis"]}" -v v="${hit_ratio["$policy|vireo"]}" \
      'BEGIN { printf "%-14s %8.2f%% %8.2f%% %+9.2f points\n", p, r * 100, v * 100, (v - r) * 100 }'
  done
  # The same operations in zipf_load.py's own exact LRU: at the key counts the servers held, and with room for every
  # key (then only first touches miss).
  model=(python3 src/bench/zipf_load.py model --keys "$KEYS" --ops "$OPS" --warmup "$WARMUP_OPS" --zipf "$ZIPF"
    --reads "$READS" --seed "$SEED")
  model_hits() {
    awk -v h="$(field "$("${model[@]}" --capacity "$1")" hit_ratio)" 'BEGIN { printf "%.2f%%", h * 100 }'
  }
  printf 'no server, the same operations:'
  for side in redis vireo; do
    printf ' exact LRU of %s keys (what %s held) %s,' "${held[$side]}" "$side" "$(model_hits "${held[$side]}")"
  done
  printf ' unbounded %s\n' "$(model_hits 0)"
fi

# --- 2. SET throughput while evicting -----------------------------------------------------------------------

if ((ROUNDS > 0)); then
  [[ -n $vireo_pid ]] || bench_start_pair "${vireo_args[@]}"
  echo
  echo "== SET with eviction: redis-benchmark -t set -P 16 -c $CLIENTS -n $REQUESTS -r $KEYSPACE -d 100," \
    "allkeys-lru, maxmemory = empty used_memory + $EVICT_MB MB"

  bench() {
    local port=$1
    redis-benchmark -h 127.0.0.1 -p "$port" -n "$REQUESTS" -c "$CLIENTS" -P 16 -r "$KEYSPACE" -d 100 -q --csv \
      -t set | awk -F'","' 'NR > 1 { print $2 }'
  }

  declare -A evicted0
  for side in redis vireo; do
    port=${side}_port
    cli "${!port}" FLUSHALL >/dev/null
    cli "${!port}" CONFIG SET maxmemory 0 >/dev/null
    limit=$(($(info_field "${!port}" used_memory) + EVICT_MB * 1048576))
    cli "${!port}" CONFIG SET maxmemory-policy allkeys-lru >/dev/null
    cli "${!port}" CONFIG SET maxmemory "$limit" >/dev/null
    cli "${!port}" CONFIG RESETSTAT >/dev/null
    # Fill until keys are evicted (a server without eviction stops after three passes).
    for _ in 1 2 3; do
      bench "${!port}" >/dev/null
      (($(info_field "${!port}" evicted_keys) > 0)) && break
    done
    evicted0[$side]=$(info_field "${!port}" evicted_keys)
    printf '%-6s maxmemory %s: filled to %s, %s keys, %s evicted\n' "$side" "$(mb "$limit")" \
      "$(mb "$(info_field "${!port}" used_memory)")" "$(cli "${!port}" DBSIZE)" "${evicted0[$side]}"
  done

  # ROUNDS rounds, the servers taking turns; sets result_redis, result_vireo (medians) and result_ratio (the median
  # of each round's ratio).
  measure() {
    local label=$1 round side port rps runs_redis="" runs_vireo="" runs_ratio="" last_redis last_vireo
    for round in $(seq "$ROUNDS"); do
      order="redis vireo"
      ((round % 2 == 0)) && order="vireo redis"
      for side in $order; do
        port=${side}_port
        rps=$(bench "${!port}")
        eval "runs_$side+=\"\$rps \"; last_$side=\$rps"
        printf '%-14s round %d  %-6s %12s rps\n' "$label" "$round" "$side" "$rps"
      done
      runs_ratio+="$(ratio "$last_redis" "$last_vireo") "
    done
    result_redis=$(median <<<"$runs_redis")
    result_vireo=$(median <<<"$runs_vireo")
    result_ratio=$(median <<<"$runs_ratio")
  }

  measure evicting
  evicted_redis=$(($(info_field "$redis_port" evicted_keys) - ${evicted0[redis]}))
  evicted_vireo=$(($(info_field "$vireo_port" evicted_keys) - ${evicted0[vireo]}))
  rows=("SET -P 16, evicting|$result_redis|$result_vireo|$result_ratio")

  if [[ $BASELINE == 1 ]]; then
    for port in "$redis_port" "$vireo_port"; do
      cli "$port" FLUSHALL >/dev/null
      cli "$port" CONFIG SET maxmemory 0 >/dev/null
    done
    measure "no maxmemory"
    rows+=("SET -P 16, no maxmemory|$result_redis|$result_vireo|$result_ratio")
  fi

  echo
  printf '%-34s %12s %12s %7s %12s\n' "test (median of $ROUNDS)" "redis rps" "vireo rps" ratio "round ratio"
  for row in "${rows[@]}"; do
    IFS='|' read -r name redis vireo round_ratio <<<"$row"
    printf '%-34s %12s %12s %7s %12s\n' "$name" "$redis" "$vireo" "$(ratio "$redis" "$vireo")" "$round_ratio"
  done
  printf '%-34s %12s %12s\n' "keys evicted while measured" "$evicted_redis" "$evicted_vireo"
fi
[[ -n $vireo_pid ]] && stop_pair

# --- 3. Memory ----------------------------------------------------------------------------------------------

if ((POPULATE > 0)); then
  for size in $SIZES; do
    bench_start_pair "${vireo_args[@]}" --enable-debug-command yes -- --enable-debug-command yes
    echo
    echo "== memory: DEBUG POPULATE $POPULATE key $size on fresh servers (redis pid $redis_pid, vireo pid $vireo_pid)"
    sleep "$SETTLE"
    declare -A m
    for side in redis vireo; do
      port=${side}_port pid=${side}_pid
      m[$side|mem0]=$(info_field "${!port}" used_memory)
      m[$side|rss_info0]=$(info_field "${!port}" used_memory_rss)
      m[$side|rss0]=$(rss "${!pid}")
    done
    for side in redis vireo; do
      port=${side}_port
      start=$(date +%s.%N)
      cli "${!port}" DEBUG POPULATE "$POPULATE" key "$size" >/dev/null
      end=$(date +%s.%N)
      printf '%-6s DEBUG POPULATE in %.2f s, DBSIZE %s\n' "$side" \
        "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" "$(cli "${!port}" DBSIZE)"
    done
    sleep "$SETTLE"
    for side in redis vireo; do
      port=${side}_port pid=${side}_pid
      m[$side|mem1]=$(info_field "${!port}" used_memory)
      m[$side|rss_info1]=$(info_field "${!port}" used_memory_rss)
      m[$side|rss1]=$(rss "${!pid}")
    done
    jcmd "$vireo_pid" GC.run >/dev/null
    sleep "$SETTLE"
    vireo_gc_rss=$(rss "$vireo_pid")

    row() {
      printf '%-34s %12s %12s %7s\n' "$1" "$(mb "$2")" "$(mb "$3")" "$(ratio "$2" "$3")"
    }
    printf '%-34s %12s %12s %7s\n' "$POPULATE keys of $size B" redis vireo ratio
    row "used_memory at start" "${m[redis|mem0]}" "${m[vireo|mem0]}"
    row "used_memory after" "${m[redis|mem1]}" "${m[vireo|mem1]}"
    row "used_memory growth" "$((${m[redis|mem1]} - ${m[redis|mem0]}))" "$((${m[vireo|mem1]} - ${m[vireo|mem0]}))"
    row "used_memory_rss at start" "${m[redis|rss_info0]}" "${m[vireo|rss_info0]}"
    row "used_memory_rss after" "${m[redis|rss_info1]}" "${m[vireo|rss_info1]}"
    row "VmRSS at start" "${m[redis|rss0]}" "${m[vireo|rss0]}"
    row "VmRSS after" "${m[redis|rss1]}" "${m[vireo|rss1]}"
    row "VmRSS after (vireo GC.run)" "${m[redis|rss1]}" "$vireo_gc_rss"
    row "VmRSS growth" "$((${m[redis|rss1]} - ${m[redis|rss0]}))" "$((${m[vireo|rss1]} - ${m[vireo|rss0]}))"
    stop_pair
  done
fi
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
