#!/usr/bin/env bash
# Shared by the side-by-side benchmarks: the tools they need, the jar, a work directory removed on exit, free
# loopback ports, and a Vireo and a redis-server started next to each other.
# Source it after setting VIREO_JAR (and VIREO_CMD to start Vireo otherwise than by bin/vireo, e.g.
# VIREO_CMD="java -jar target/vireo.jar"); call bench_require TOOL..., then
# bench_start_pair [vireo args] -- [redis args].

bench_require() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null \
      || { echo "$tool not found (Debian: apt-get install -y redis-server redis-tools)" >&2; exit 1; }
  done
  if [[ ! -f $VIREO_JAR ]]; then
    echo "building $VIREO_JAR"
    mvn -B -q package -DskipTests
  fi
}

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

# Starts Vireo (extra arguments before --) and redis-server (extra arguments after --) on free ports, in $workdir;
# sets vireo_port, redis_port, vireo_pid, redis_pid.
bench_start_pair() {
  local vargs=() rargs=()
  while [[ $# -gt 0 && $1 != -- ]]; do vargs+=("$1"); shift; done
  [[ $# -gt 0 ]] && shift
  rargs=("$@")
  vireo_port=$(free_port)
  redis_port=$(free_port)
  while [[ $redis_port == "$vireo_port" ]]; do redis_port=$(free_port); done
  # no save rules and a directory of its own, as redis-server below: no dump.rdb left in the tree for the next run
  mkdir -p "$workdir/vireo"
  # started as the README starts it, bin/vireo with its JVM settings, unless VIREO_CMD names another command
  local cmd
  read -r -a cmd <<<"${VIREO_CMD:-bin/vireo}"
  VIREO_JAR=$VIREO_JAR "${cmd[@]}" --port "$vireo_port" --http-port 0 --save "" --dir "$workdir/vireo" \
    ${vargs[@]+"${vargs[@]}"} >"$workdir/vireo.log" 2>&1 &
  vireo_pid=$!
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$workdir" \
    --daemonize no "${rargs[@]}" >"$workdir/redis.log" 2>&1 &
  redis_pid=$!
  await_ping vireo "$vireo_port" "$vireo_pid" "$workdir/vireo.log"
  await_ping redis-server "$redis_port" "$redis_pid" "$workdir/redis.log"
}

# The Vireo/Redis ratio of two rates, or "-" when one is missing.
ratio() {
  awk -v r="$1" -v v="$2" 'BEGIN { if (r > 0 && v != "") printf "%.2f", v / r; else print "-" }'
}

# The median of the numbers on stdin (space or newline separated).
median() {
  tr ' ' '\n' | grep -v '^$' | sort -g \
    | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
