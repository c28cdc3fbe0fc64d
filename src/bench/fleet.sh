#!/usr/bin/env bash
# The fleet's cost on the data path: redis-benchmark SET/GET with -P 16 against a Vireo node alone (fleet no) and
# against a Vireo node in a fleet of two (fleet yes, a second Vireo node as the other member: snapshots go both ways
# each second; no replica on either node, so only the fleet differs), with a real redis-server measured in the same
# run as the
# reference. Rounds alternate the two Vireo nodes; the medians and the on/off ratio are printed, with each node's
# ratio to Redis, and the time from start to fleet membership (the node's own "Joined the fleet" log line).
#
#   src/bench/fleet.sh                 # 5 rounds, 200k requests each
#   ROUNDS=3 REQUESTS=100000 src/bench/fleet.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROUNDS=${ROUNDS:-5}
REQUESTS=${REQUESTS:-200000}
CLIENTS=${CLIENTS:-50}
VIREO_JAR=${VIREO_JAR:-target/vireo.jar}

source "$(dirname "$0")/lib.sh"
bench_require java redis-server redis-cli redis-benchmark

# the reference, and the node alone
bench_start_pair
off_port=$vireo_port

# the node in a fleet, and the fleet's other member
on_port=$(free_port)
peer_port=$(free_port)
on_fleet=$(free_port)
peer_fleet=$(free_port)
members="127.0.0.1:$on_fleet,127.0.0.1:$peer_fleet"
mkdir -p "$workdir/on" "$workdir/peer"
start_ms=$(date +%s%3N)
java -jar "$VIREO_JAR" --port "$on_port" --http-port 0 --save "" --dir "$workdir/on" --fleet yes \
  --fleet-port "$on_fleet" --fleet-members "$members" >"$workdir/on.log" 2>&1 &
on_pid=$!
java -jar "$VIREO_JAR" --port "$peer_port" --http-port 0 --save "" --dir "$workdir/peer" --fleet yes \
  --fleet-port "$peer_fleet" --fleet-members "$members" >"$workdir/peer.log" 2>&1 &
peer_pid=$!
trap 'stop "$on_pid"; stop "$peer_pid"; cleanup' EXIT
await_ping vireo-fleet "$on_port" "$on_pid" "$workdir/on.log"
ready_ms=$(date +%s%3N)
await_ping vireo-peer "$peer_port" "$peer_pid" "$workdir/peer.log"
for _ in $(seq 600); do
  grep -q "Joined the fleet" "$workdir/on.log" && break
  sleep 0.1
done
joined=$(grep -o "Joined the fleet '[^']*' in [0-9]* ms ([0-9]* members)" "$workdir/on.log" || echo "not joined")
echo "fleet node: PING answered $((ready_ms - start_ms)) ms after start; $joined"

warm() {
  redis-benchmark -h 127.0.0.1 -p "$1" -n 500000 -c "$CLIENTS" -P 16 -q -t set,get >/dev/null
}
bench() {
  redis-benchmark -h 127.0.0.1 -p "$1" -n "$REQUESTS" -c "$CLIENTS" -P 16 -q --csv -t set,get \
    | awk -F'","' 'NR > 1 { gsub(/^"/, "", $1); printf "%s %s\n", $1, $2 }'
}
echo "warming up both Vireo nodes"
warm "$off_port"
warm "$on_port"

declare -A got
for round in $(seq "$ROUNDS"); do
  for which in redis off on; do
    case $which in redis) port=$redis_port ;; off) port=$off_port ;; on) port=$on_port ;; esac
    while read -r test rps; do got["$which|$test"]+="$rps "; done < <(bench "$port")
  done
  echo "round $round done"
done

echo
printf '%-5s %12s %14s %14s %9s %9s %12s\n' test "redis rps" "fleet off rps" "fleet on rps" "off/redis" "on/redis" "on/off"
for test in SET GET; do
  r=$(echo "${got[redis|$test]}" | median)
  off=$(echo "${got[off|$test]}" | median)
  on=$(echo "${got[on|$test]}" | median)
  printf '%-5s %12s %14s %14s %9s %9s %12s\n' "$test" "$r" "$off" "$on" "$(ratio "$r" "$off")" "$(ratio "$r" "$on")" \
    "$(ratio "$off" "$on")"
done
