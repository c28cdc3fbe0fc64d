#!/usr/bin/env bash
# Start-up time: wall time from spawning the node's process to its first +PONG on the RESP port.
#
#   src/bench/startup.sh
#   RUNS=20 src/bench/startup.sh
#   LAUNCHERS="bin/vireo" src/bench/startup.sh
#
# Environment (defaults in brackets):
#   RUNS       starts per launcher                                          [10]
#   LAUNCHERS  commands to time, ';' separated; each gets the node's args   ["bin/vireo;java -jar target/vireo.jar"]
#   VIREO_JAR  the jar (built with mvn package when missing)                [target/vireo.jar]
#
# Each start uses the default configuration but for a free port (never 6379/16379/26379; the default
# http-port, port+10000, is free too) and --save "" --dir <temp>. A PING is sent every 5 ms over a fresh
# socket until +PONG comes back; the process is then killed (SIGKILL, so exit time is not counted and
# nothing lingers). Each launcher starts once uncounted (bin/vireo makes its archive then), then the launchers
# take turns. Prints median, min and max per launcher, in milliseconds, and the machine's load average.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

RUNS=${RUNS:-10}
VIREO_JAR=${VIREO_JAR:-target/vireo.jar}
LAUNCHERS=${LAUNCHERS:-bin/vireo;java -jar $VIREO_JAR}

for tool in java python3; do
  command -v "$tool" >/dev/null || { echo "$tool not found" >&2; exit 1; }
done

if [[ ! -f $VIREO_JAR ]]; then
  echo "building $VIREO_JAR"
  mvn -B -q package -DskipTests
fi

workdir=$(mktemp -d -t vireo-startup.XXXXXX)
trap 'rm -rf "$workdir"' EXIT

LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg 2>/dev/null || true) \
  RUNS=$RUNS LAUNCHERS=$LAUNCHERS WORKDIR=$workdir python3 - <<'PY'
import os, shlex, signal, socket, statistics, subprocess, sys, time

RESERVED = {6379, 16379, 26379}

def free(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False

def free_port():
    """A port that is free, and whose default http-port (port+10000) is free as well."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port in RESERVED or port + 10000 in RESERVED or port + 10000 > 65535:
            continue
        if free(port + 10000):
            return port

def pong(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(64).startswith(b"+PONG")
    except OSError:
        return False

def one_start(argv, timeout=60.0):
    port = free_port()
    d = os.path.join(os.environ["WORKDIR"], str(port))
    os.makedirs(d, exist_ok=True)
    cmd = argv + ["--port", str(port), "--save", "", "--dir", d]
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        while True:
            if pong(port):
                return (time.perf_counter() - t0) * 1000
            if p.poll() is not None:
                sys.exit(f"{' '.join(cmd)} exited with {p.returncode} before answering PING")
            if time.perf_counter() - t0 > timeout:
                sys.exit(f"{' '.join(cmd)} did not answer PING within {timeout:.0f} s")
            time.sleep(0.005)
    finally:
        # the launcher may exec java or run it as a child: end the whole process group
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait()

runs = int(os.environ["RUNS"])
launchers = []
for launcher in (l.strip() for l in os.environ["LAUNCHERS"].split(";")):
    if not launcher:
        continue
    argv = shlex.split(launcher)
    if "/" in argv[0] and not os.path.exists(argv[0]):
        print(f"{launcher}: not found, skipped")
        continue
    launchers.append((launcher, argv))
# a first start of each, not counted: the launcher makes its archive, the OS caches the jar
for _, argv in launchers:
    one_start(argv)
times = {launcher: [] for launcher, _ in launchers}
for _ in range(runs):  # taken in turns, so that other load on the machine weighs on each alike
    for launcher, argv in launchers:
        times[launcher].append(one_start(argv))
print(f"load average before: {os.environ['LOAD_BEFORE']}, after: {' '.join(open('/proc/loadavg').read().split()[:3])}"
      if os.path.exists("/proc/loadavg") else "")
print(f"{'launcher':<44} {'runs':>4} {'median ms':>10} {'min ms':>8} {'max ms':>8}")
for launcher, t in times.items():
    print(f"{launcher:<44} {runs:>4} {statistics.median(t):>10.0f} {min(t):>8.0f} {max(t):>8.0f}")
PY
