#!/usr/bin/env bash
# Sentinel failover: the time from SIGKILL of the master to the first write the new master accepts, with three real
# redis-sentinel processes watching a group of Vireo nodes and, in the same run, a group of redis-server nodes.
#
#   src/bench/sentinel.sh
#   ROUNDS=7 src/bench/sentinel.sh
#
# Environment (defaults in brackets):
#   ROUNDS       failovers per kind; the kinds take turns, in swapped order each round                [5]
#   DOWN_AFTER   sentinel down-after-milliseconds                                                    [1000]
#   SETTLE       seconds to watch after each failover for a second, unwanted one (0: do not watch)   [3]
#   VIREO_JAR    the jar to run                                                                      [target/vireo.jar]
#
# Each round and kind: a master and two replicas (replica-priority 10 and 50, repl-diskless-sync-delay 0) on free
# loopback ports, three sentinels (quorum 2, down-after DOWN_AFTER, everything else Redis's defaults) that have
# found both replicas and each other; a write acknowledged by both replicas (WAIT 2); then `kill -9` of the master
# and, until one accepts it, SET on each replica in turn (READONLY until promoted). Prints each round's time, the
# median per kind and the ratio vireo/redis, and how many rounds saw the sentinels fail over a second time within
# SETTLE seconds (a promoted master judged down). Every process is stopped at the end of its round.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

ROUNDS=${ROUNDS:-5}
DOWN_AFTER=${DOWN_AFTER:-1000}
SETTLE=${SETTLE:-3}
VIREO_JAR=${VIREO_JAR:-target/vireo.jar}

# shellcheck source=src/bench/lib.sh
source src/bench/lib.sh
bench_require java redis-server redis-cli redis-sentinel

pids=()
used_ports=" "
# SIGTERM to every process of the round at once, then SIGKILL to what still runs after 5 s.
stop_round() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 50); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  pids=()
}

# Sets picked to a free port not yet handed out in this run (a port picked but not yet bound looks free too).
pick_port() {
  picked=$(free_port)
  while [[ $used_ports == *" $picked "* ]]; do picked=$(free_port); done
  used_ports+="$picked "
}
trap 'stop_round; cleanup' EXIT

cli() {
  local port=$1
  shift
  redis-cli -h 127.0.0.1 -p "$port" "$@" 2>/dev/null
}

now_ms() {
  echo $(($(date +%s%N) / 1000000))
}

# wait_for SECONDS WHAT COMMAND...: runs COMMAND every 50 ms until it succeeds.
wait_for() {
  local seconds=$1 what=$2
  shift 2
  local deadline=$(($(now_ms) + seconds * 1000))
  until "$@"; do
    if (($(now_ms) > deadline)); then
      echo "timed out waiting for $what" >&2
      exit 1
    fi
    sleep 0.05
  done
}

# start_node KIND DIR PORT: a Vireo jar or a redis-server in DIR, no persistence.
start_node() {
  local kind=$1 dir=$2 port=$3
  mkdir -p "$dir"
  if [[ $kind == vireo ]]; then
    java -jar "$VIREO_JAR" --port "$port" --http-port 0 --save "" --dir "$dir" --repl-diskless-sync-delay 0 \
      >"$dir/node.log" 2>&1 &
    disown
  else
    redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" --daemonize no \
      --repl-diskless-sync-delay 0 >"$dir/node.log" 2>&1 &
    disown
  fi
  pids+=($!)
  await_ping "$kind" "$port" "$!" "$dir/node.log"
}

start_sentinel() {
  local dir=$1 port=$2 master=$3
  mkdir -p "$dir"
  cat >"$dir/sentinel.conf" <<CONF
port $port
bind 127.0.0.1
daemonize no
dir $dir
pidfile $dir/sentinel.pid
logfile ""
sentinel resolve-hostnames no
sentinel announce-ip 127.0.0.1
sentinel monitor mymaster 127.0.0.1 $master 2
sentinel down-after-milliseconds mymaster $DOWN_AFTER
CONF
  redis-sentinel "$dir/sentinel.conf" >"$dir/sentinel.log" 2>&1 &
  disown
  pids+=($!)
  await_ping sentinel "$port" "$!" "$dir/sentinel.log"
}

linked() {
  [[ $(cli "$1" INFO replication | tr -d '\r' | grep -c '^master_link_status:up') == 1 ]]
}

sentinel_ready() {
  [[ $(cli "$1" SENTINEL REPLICAS mymaster | grep -c '^name$') == 2 ]] \
    && [[ $(cli "$1" SENTINEL SENTINELS mymaster | grep -c '^name$') == 2 ]]
}

# One failover of a group of KIND; sets took_ms (from the kill to the first accepted write) and second (1 when the
# sentinels failed over once more within SETTLE seconds).
failover() {
  local kind=$1 round=$2
  local dir="$workdir/$kind-$round"
  local m r1 r2 s
  pick_port; m=$picked
  pick_port; r1=$picked
  pick_port; r2=$picked
  start_node "$kind" "$dir/m" "$m"
  start_node "$kind" "$dir/r1" "$r1"
  start_node "$kind" "$dir/r2" "$r2"
  cli "$r1" CONFIG SET replica-priority 10 >/dev/null
  cli "$r2" CONFIG SET replica-priority 50 >/dev/null
  cli "$r1" REPLICAOF 127.0.0.1 "$m" >/dev/null
  cli "$r2" REPLICAOF 127.0.0.1 "$m" >/dev/null
  wait_for 30 "replicas of $kind linked" eval "linked $r1 && linked $r2"
  local sentinels=()
  for i in 1 2 3; do
    pick_port; s=$picked
    start_sentinel "$dir/s$i" "$s" "$m"
    sentinels+=("$s")
  done
  for s in "${sentinels[@]}"; do wait_for 30 "sentinel $s ready" sentinel_ready "$s"; done
  [[ $(cli "$m" SET before kill) == OK && $(cli "$m" WAIT 2 2000) == 2 ]] || { echo "write before kill" >&2; exit 1; }

  kill -9 "${pids[0]}"
  local t0 t1 deadline
  t0=$(now_ms)
  deadline=$((t0 + 60000))
  while true; do
    if [[ $(cli "$r1" SET after kill) == OK || $(cli "$r2" SET after kill) == OK ]]; then
      t1=$(now_ms)
      break
    fi
    if (($(now_ms) > deadline)); then
      echo "no new master within 60 s ($kind); the sentinels' logs:" >&2
      tail -n 40 "$dir"/s*/sentinel.log >&2
      exit 1
    fi
  done
  took_ms=$((t1 - t0))
  second=0
  if ((SETTLE > 0)); then
    sleep "$SETTLE"
    for i in 1 2 3; do
      if (($(grep -c '+switch-master' "$dir/s$i/sentinel.log") > 1)); then second=1; fi
    done
  fi
  stop_round
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A times seconds
for kind in vireo redis; do times[$kind]=""; seconds[$kind]=0; done
for round in $(seq "$ROUNDS"); do
  order="vireo redis"
  ((round % 2 == 0)) && order="redis vireo"
  for kind in $order; do
    failover "$kind" "$round"
    times[$kind]+="$took_ms "
    seconds[$kind]=$((seconds[$kind] + second))
    note=""
    ((second)) && note=" (then a second failover)"
    printf 'round %d %-5s %5d ms%s\n' "$round" "$kind" "$took_ms" "$note"
  done
done
v=$(echo "${times[vireo]}" | median)
r=$(echo "${times[redis]}" | median)
echo "median kill -> first write on the new master: vireo ${v} ms, redis ${r} ms, ratio vireo/redis $(ratio "$r" "$v")"
echo "rounds with a second failover within ${SETTLE} s: vireo ${seconds[vireo]}, redis ${seconds[redis]}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
