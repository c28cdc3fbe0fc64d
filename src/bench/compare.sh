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

for tool in java redis-server redis-cli redis-benchmark; do
  command -v "$tool" >/dev/null || { echo "$tool not found (Debian: apt-get install -y redis-server redis-tools)" >&2; exit 1; }
done

if [[ ! -f $VIREO_JAR ]]; then
  echo "building $VIREO_JAR"
  mvn -B -q package -DskipTests
fi

workdir=$(mktemp -d -t vireo-bench.XXXXXX)
vireo_pid=""
redis_pid=""

stop() {
  local pid=$1
  [[ -n $pid ]] || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}

cleanup() {
  stop "$vireo_pid"
  stop "$redis_pid"
  rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A loopback port nobody answers on; never Redis's or Vireo's default.
free_port() {
  local port
  while true; do
    port=$((20000 + RANDOM % 40000))
    [[ $port == 6379 || $port == 16379 ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}

await_ping() {
  local name=$1 port=$2 pid=$3 log=$4
  for _ in $(seq 300); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$name exited during startup:" >&2
      cat "$log" >&2
      exit 1
    fi
    if [[ $(redis-cli -h 127.0.0.1 -p "$port" PING 2>/dev/null) == PONG ]]; then
      return
    fi
    sleep 0.1
  done
  echo "$name did not answer PING on $port within 30 s:" >&2
  cat "$log" >&2
  exit 1
}

vireo_port=$(free_port)
redis_port=$(free_port)
while [[ $redis_port == "$vireo_port" ]]; do redis_port=$(free_port); done

java -jar "$VIREO_JAR" --port "$vireo_port" --http-port 0 >"$workdir/vireo.log" 2>&1 &
vireo_pid=$!
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$workdir" \
  --daemonize no >"$workdir/redis.log" 2>&1 &
redis_pid=$!

await_ping vireo "$vireo_port" "$vireo_pid" "$workdir/vireo.log"
await_ping redis-server "$redis_port" "$redis_pid" "$workdir/redis.log"

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
