#!/usr/bin/env bash
# FAILOVER: how long writes are blocked, as a client sees it, during a coordinated failover, for two Vireo nodes
# and two redis-server 7.0 nodes in the same run.
#
#   src/bench/failover.sh
#   ROUNDS=9 src/bench/failover.sh
#
# Environment (defaults in brackets):
#   ROUNDS     measured failovers per kind; each hands over to the other node, so the roles alternate   [7]
#   WARMUP     failovers of each kind before the measured ones (the JIT's first runs)                  [2]
#   WRITERS    connections writing SETs during each failover                                           [4]
#   VIREO_JAR  the jar to run                                                               [target/vireo.jar]
#
# For each kind, a master and its replica on free loopback ports (repl-diskless-sync-delay 0). In each round,
# WRITERS clients loop SET key value against the master, each timing every reply; after 200 ms the master gets
# FAILOVER TO <replica>, and the round ends once INFO says master_failover_state:no-failover and the old master's
# link to the new one is up. The write pause of the round is the longest a single SET waited for its reply (held
# by the pause, it is answered -READONLY by the node that is now a replica). The kinds take turns, round by round.
# Prints each round's pauses, the median of each kind and the ratio vireo/redis of the medians, and the load
# average before and after. Every process is stopped on exit.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
VIREO_JAR=${VIREO_JAR:-target/vireo.jar}
for tool in java redis-server redis-cli python3; do
  command -v "$tool" >/dev/null \
    || { echo "$tool not found (Debian: apt-get install -y redis-server redis-tools)" >&2; exit 1; }
done
[[ -f $VIREO_JAR ]] || { echo "building $VIREO_JAR"; mvn -B -q package -DskipTests; }

export VIREO_JAR
exec python3 - <<'PY'
import os, shutil, socket, statistics, subprocess, sys, tempfile, threading, time

JAR = os.environ["VIREO_JAR"]
ROUNDS = int(os.environ.get("ROUNDS", "7"))
WARMUP = int(os.environ.get("WARMUP", "2"))
WRITERS = int(os.environ.get("WRITERS", "4"))
work = tempfile.mkdtemp(prefix="vireo-bench-failover.")
procs = []


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def call(self, *args):
        out = b"*%d\r\n" % len(args)
        for a in args:
            a = a.encode() if isinstance(a, str) else a
            out += b"$%d\r\n%s\r\n" % (len(a), a)
        self.s.sendall(out)
        return self.reply()

    def line(self):
        while b"\r\n" not in self.buf:
            d = self.s.recv(65536)
            if not d:
                raise ConnectionError("closed")
            self.buf += d
        i = self.buf.index(b"\r\n")
        l, self.buf = self.buf[:i], self.buf[i + 2:]
        return l.decode("latin1")

    def reply(self):
        l = self.line()
        if l[0] == "$":
            n = int(l[1:])
            if n < 0:
                return None
            while len(self.buf) < n + 2:
                self.buf += self.s.recv(65536)
            v, self.buf = self.buf[:n], self.buf[n + 2:]
            return v.decode("latin1")
        if l[0] == "*":
            return [self.reply() for _ in range(int(l[1:]))]
        return l

    def close(self):
        self.s.close()


def info(port, field):
    c = Conn(port)
    try:
        text = c.call("INFO", "replication")
    finally:
        c.close()
    for line in text.split("\r\n"):
        if line.startswith(field + ":"):
            return line.split(":", 1)[1]
    return None


def wait(what, cond, within=30):
    end = time.time() + within
    while time.time() < end:
        try:
            if cond():
                return
        except (OSError, ConnectionError):
            pass
        time.sleep(0.01)
    raise SystemExit("timed out waiting for " + what)


def start(kind, port, replicaof=None):
    d = os.path.join(work, "%s-%d" % (kind, port))
    os.makedirs(d)
    common = ["--port", str(port), "--save", "", "--dir", d, "--repl-diskless-sync-delay", "0"]
    if kind == "vireo":
        cmd = ["java", "-jar", JAR, "--http-port", "0"] + common
        if replicaof:
            cmd += ["--replicaof", "127.0.0.1 %d" % replicaof]
    else:
        cmd = ["redis-server", "--bind", "127.0.0.1", "--appendonly", "no", "--daemonize", "no"] + common
        if replicaof:
            cmd += ["--replicaof", "127.0.0.1", str(replicaof)]
    p = subprocess.Popen(cmd, stdout=open(os.path.join(d, "log"), "w"), stderr=subprocess.STDOUT)
    procs.append(p)
    wait("%s on %d" % (kind, port), lambda: Conn(port).call("PING") == "+PONG")
    return port


def one_failover(master, replica):
    stop = threading.Event()
    worst = [0.0] * WRITERS
    answers = [0] * WRITERS

    def writer(i):
        c = Conn(master)
        n = 0
        try:
            while not stop.is_set():
                t0 = time.perf_counter()
                r = c.call("SET", "w%d:%d" % (i, n), "v")
                worst[i] = max(worst[i], time.perf_counter() - t0)
                answers[i] += 1
                n += 1
                if r != "+OK":
                    break  # the node is a replica now
        except (OSError, ConnectionError):
            pass
        finally:
            c.close()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    for t in threads:
        t.start()
    time.sleep(0.2)
    c = Conn(master)
    r = c.call("FAILOVER", "TO", "127.0.0.1", str(replica))
    c.close()
    if r != "+OK":
        raise SystemExit("FAILOVER answered " + str(r))
    wait("the failover", lambda: info(master, "master_failover_state") == "no-failover"
         and info(master, "master_link_status") == "up" and info(replica, "role") == "master")
    stop.set()
    for t in threads:
        t.join()
    return max(worst) * 1000


try:
    print("load average before: " + open("/proc/loadavg").read().split(" ")[0])
    pairs = {}
    for kind in ("vireo", "redis"):
        a = start(kind, free_port())
        b = start(kind, free_port(), replicaof=a)
        wait(kind + " replica link", lambda: info(b, "master_link_status") == "up")
        pairs[kind] = [a, b]
    for _ in range(WARMUP):
        for kind in ("vireo", "redis"):
            m, r = pairs[kind]
            one_failover(m, r)
            pairs[kind] = [r, m]
    pauses = {"vireo": [], "redis": []}
    for rnd in range(ROUNDS):
        order = ("vireo", "redis") if rnd % 2 == 0 else ("redis", "vireo")
        line = []
        for kind in order:
            m, r = pairs[kind]
            ms = one_failover(m, r)
            pauses[kind].append(ms)
            pairs[kind] = [r, m]
            line.append("%s %.1f ms" % (kind, ms))
        print("round %d: %s" % (rnd + 1, ", ".join(line)))
    v = statistics.median(pauses["vireo"])
    r = statistics.median(pauses["redis"])
    print("write pause of FAILOVER, median of %d: vireo %.1f ms, redis %.1f ms, ratio vireo/redis %.2f"
          % (ROUNDS, v, r, v / r if r else float("nan")))
    print("load average after: " + open("/proc/loadavg").read().split(" ")[0])
finally:
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
    shutil.rmtree(work, ignore_errors=True)
PY
