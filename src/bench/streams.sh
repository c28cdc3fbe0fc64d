#!/usr/bin/env bash
# Streams: XADD throughput and the memory of a large stream, Vireo next to a real redis-server in one run.
#
#   src/bench/streams.sh
#   ROUNDS=5 REQUESTS=500000 src/bench/streams.sh
#   ENTRIES=0 src/bench/streams.sh                    # throughput only
#   JFR=/tmp/xadd.jfr ENTRIES=0 src/bench/streams.sh  # also record Vireo's -P 16 run of the last round with JFR
#
# Environment (defaults in brackets):
#   REQUESTS         XADDs per throughput run (-n)                                   [200000]
#   CLIENTS          parallel connections (-c)                                       [50]
#   PIPELINES        pipeline depths to run (-P), space separated                    ["1 16"]
#   ROUNDS           rounds; in each the servers take turns, in swapped order        [3]
#   WARMUP_REQUESTS  XADDs of the JIT warm-up against Vireo, per pipeline depth      [500000]
#   ENTRIES          entries of the memory stream (0: skip that part)                [1000000]
#   SETTLE           seconds to wait before memory is read                           [5]
#   VIREO_JAR        the jar to run                                                  [target/vireo.jar]
#   JFR              a file: JFR records Vireo's run of the last round at JFR_PIPELINE [unset]
#   JFR_PIPELINE     the pipeline depth JFR records                                  [16]
#
# Memory first, on freshly started servers: INFO used_memory and VmRSS of each process (Vireo's again after a
# full collection, `jcmd PID GC.run`; the node itself is asked nothing), then ENTRIES XADDs of three small fields
# sent with redis-cli --pipe (the same bytes to both: explicit IDs, 10 entries a millisecond, field names f1 f2 f3,
# values the entry number, a 4-letter word and a number below 1000), XINFO STREAM of both compared, SETTLE seconds
# of quiet, and the same figures again. Vireo's used_memory is its heap in use, garbage included, so it is read
# once more after GC.run; the growth row compares collected heaps.
# Then throughput: `redis-benchmark XADD s * f1 v1 f2 v2 f3 v3` (the key deleted before each run), ROUNDS rounds
# per pipeline depth: the median requests/s of each server, their ratio vireo/redis, and the median of the
# ratios of each round's back-to-back pair (less exposed to load from elsewhere that comes and goes).
# Both servers run on free loopback ports and are stopped on exit. Prints the load average before and after.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

REQUESTS=${REQUESTS:-200000}
CLIENTS=${CLIENTS:-50}
PIPELINES=${PIPELINES:-1 16}
ROUNDS=${ROUNDS:-3}
WARMUP_REQUESTS=${WARMUP_REQUESTS:-500000}
ENTRIES=${ENTRIES:-1000000}
SETTLE=${SETTLE:-5}
VIREO_JAR=${VIREO_JAR:-target/vireo.jar}
JFR=${JFR:-}
JFR_PIPELINE=${JFR_PIPELINE:-16}

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
bench_require java jcmd python3 redis-server redis-cli redis-benchmark
bench_start_pair

cli() {
  local port=$1
  shift
  redis-cli -h 127.0.0.1 -p "$port" "$@"
}

used_memory() {
  cli "$1" INFO memory | tr -d '\r' | awk -F: '$1 == "used_memory" { print $2 }'
}

rss() {
  awk '$1 == "VmRSS:" { print $2 * 1024 }' "/proc/$1/status"
}

mb() {
  awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1048576 }'
}

echo "redis-server :$redis_port (pid $redis_pid)  vireo :$vireo_port (pid $vireo_pid)  $(nproc) cores"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

if ((ENTRIES > 0)); then
  sleep "$SETTLE"
  redis_mem0=$(used_memory "$redis_port") redis_rss0=$(rss "$redis_pid")
  vireo_mem0=$(used_memory "$vireo_port") vireo_rss0=$(rss "$vireo_pid")
  jcmd "$vireo_pid" GC.run >/dev/null
  sleep "$SETTLE"
  vireo_gc_mem0=$(used_memory "$vireo_port") vireo_gc_rss0=$(rss "$vireo_pid")

  ENTRIES=$ENTRIES python3 - >"$workdir/fill.resp" <<'PY'
import os, sys

words = ["alfa", "brav", "char", "delt", "echo", "foxt", "golf", "hote"]
out = sys.stdout.buffer
base = 1700000000000

def bulk(s):
    b = s.encode()
    return b"$%d\r\n%s\r\n" % (len(b), b)

chunk = []
for i in range(int(os.environ["ENTRIES"])):
    args = ["XADD", "mem", "%d-%d" % (base + i // 10, i % 10),
            "f1", str(i), "f2", words[i % len(words)], "f3", str(i * 7 % 1000)]
    chunk.append(b"*%d\r\n" % len(args) + b"".join(bulk(a) for a in args))
    if len(chunk) == 10000:
        out.write(b"".join(chunk))
        chunk.clear()
out.write(b"".join(chunk))
PY

  for side in redis vireo; do
    port=${side}_port
    start=$(date +%s.%N)
    cli "${!port}" --pipe <"$workdir/fill.resp" >"$workdir/pipe-$side.log"
    end=$(date +%s.%N)
    if ! grep -q "errors: 0, replies: $ENTRIES" "$workdir/pipe-$side.log"; then
      echo "$side: the fill did not take every XADD:" >&2
      cat "$workdir/pipe-$side.log" >&2
      exit 1
    fi
    printf '%-6s filled %d entries in %.1f s, XLEN %s\n' "$side" "$ENTRIES" \
      "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" "$(cli "${!port}" XLEN mem)"
  done
  # Same entries and the same node layout (radix-tree-keys counts the listpack nodes): XINFO STREAM alike.
  if [[ $(cli "$redis_port" XINFO STREAM mem) == "$(cli "$vireo_port" XINFO STREAM mem)" ]]; then
    echo "XINFO STREAM mem: equal ($(cli "$redis_port" XINFO STREAM mem | sed -n '/radix-tree-keys/{n;p}') nodes)"
  else
    echo "XINFO STREAM mem differs:" >&2
    diff <(cli "$redis_port" XINFO STREAM mem) <(cli "$vireo_port" XINFO STREAM mem) >&2 || true
  fi

  sleep "$SETTLE"
  redis_mem1=$(used_memory "$redis_port") redis_rss1=$(rss "$redis_pid")
  vireo_mem1=$(used_memory "$vireo_port") vireo_rss1=$(rss "$vireo_pid")
  jcmd "$vireo_pid" GC.run >/dev/null
  sleep "$SETTLE"
  vireo_mem2=$(used_memory "$vireo_port") vireo_rss2=$(rss "$vireo_pid")

  echo
  printf '%-34s %14s %14s %7s\n' "memory, $ENTRIES entries" redis vireo ratio
  row() {
    printf '%-34s %14s %14s %7s\n' "$1" "$(mb "$2")" "$(mb "$3")" "$(ratio "$2" "$3")"
  }
  row "used_memory before" "$redis_mem0" "$vireo_mem0"
  row "used_memory before (vireo GC.run)" "$redis_mem0" "$vireo_gc_mem0"
  row "used_memory after" "$redis_mem1" "$vireo_mem1"
  row "used_memory after (vireo GC.run)" "$redis_mem1" "$vireo_mem2"
  row "used_memory growth (GC.run both)" "$((redis_mem1 - redis_mem0))" "$((vireo_mem2 - vireo_gc_mem0))"
  row "RSS before" "$redis_rss0" "$vireo_rss0"
  row "RSS before (vireo GC.run)" "$redis_rss0" "$vireo_gc_rss0"
  row "RSS after" "$redis_rss1" "$vireo_rss1"
  row "RSS after (vireo GC.run)" "$redis_rss1" "$vireo_rss2"
  row "RSS growth" "$((redis_rss1 - redis_rss0))" "$((vireo_rss1 - vireo_rss0))"
  echo

  cli "$redis_port" FLUSHALL >/dev/null
  cli "$vireo_port" FLUSHALL >/dev/null
fi

xadd=(XADD s '*' f1 v1 f2 v2 f3 v3)

# Let the JIT compile the hot path before anything is measured.
echo "warming up vireo ($WARMUP_REQUESTS XADDs per pipeline depth)"
for pipeline in $PIPELINES; do
  redis-benchmark -h 127.0.0.1 -p "$vireo_port" -n "$WARMUP_REQUESTS" -c "$CLIENTS" -P "$pipeline" -q --csv \
    "${xadd[@]}" >/dev/null
  cli "$vireo_port" DEL s >/dev/null
done

# One run on an empty key; prints the requests per second.
bench() {
  local port=$1 pipeline=$2
  cli "$port" DEL s >/dev/null
  redis-benchmark -h 127.0.0.1 -p "$port" -n "$REQUESTS" -c "$CLIENTS" -P "$pipeline" -q --csv "${xadd[@]}" \
    | awk -F'","' 'NR > 1 { print $2 }'
}

declare -A runs
jfr_started=""
for round in $(seq "$ROUNDS"); do
  order="redis vireo"
  ((round % 2 == 0)) && order="vireo redis"
  for pipeline in $PIPELINES; do
    for side in $order; do
      port=${side}_port
      if [[ -n $JFR && $side == vireo && $round == "$ROUNDS" && $pipeline == "$JFR_PIPELINE" ]]; then
        jcmd "$vireo_pid" JFR.start name=streams settings=profile filename="$JFR" >/dev/null
        jfr_started=1
      fi
      rps=$(bench "${!port}" "$pipeline")
      if [[ -n $jfr_started ]]; then
        jcmd "$vireo_pid" JFR.stop name=streams >/dev/null
        jfr_started=""
        echo "JFR recording of vireo's -P $pipeline run: $JFR"
      fi
      runs["$side|$pipeline"]+="$rps "
      printf 'round %d  -P %-3s %-6s %12s rps\n' "$round" "$pipeline" "$side" "$rps"
      eval "last_$side=\$rps"
    done
    runs["ratio|$pipeline"]+="$(ratio "$last_redis" "$last_vireo") "
  done
done

echo
printf '%-22s %8s %14s %14s %7s %14s\n' test pipeline "redis rps" "vireo rps" ratio "round ratio"
for pipeline in $PIPELINES; do
  redis=$(median <<<"${runs["redis|$pipeline"]}")
  vireo=$(median <<<"${runs["vireo|$pipeline"]}")
  printf '%-22s %8s %14s %14s %7s %14s\n' "XADD (median of $ROUNDS)" "$pipeline" "$redis" "$vireo" \
    "$(ratio "$redis" "$vireo")" "$(median <<<"${runs["ratio|$pipeline"]}")"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
