#!/usr/bin/env python3
"""Memory benchmark: Vireo next to a real redis-server, the same dataset loaded into each, in one run.

    python3 src/bench/memory.py                        # every row below
    ROWS=strings100,list python3 src/bench/memory.py   # some rows
    SCALE=0.1 python3 src/bench/memory.py              # a tenth of every dataset (a quick look)
    VIREO_CMD="java -jar target/vireo.jar" python3 src/bench/memory.py   # another way to start Vireo

Rows (each on a fresh pair of processes, so a row's figures are its dataset's alone):
  start       nothing loaded: the process as started with default settings
  strings100  1M keys x 100 B values (DEBUG POPULATE 1000000 key 100)
  strings10   1M keys x 10 B values
  hashes      100k hashes of 10 small fields
  zsets       100k sorted sets of 10 members
  list        one list of 1M small elements

For each row it prints RSS (the process's VmRSS, read SETTLE seconds after the load; Vireo is started by
bin/vireo, the README's command, unless VIREO_CMD says otherwise) and INFO's used_memory, for both servers, and
the ratios vireo/redis. Then the dataset's own cost: RSS after the load less RSS just before it, for both, and
its ratio (what the layout costs, apart from the process's fixed cost at start). Last, RSS FLUSH_SETTLE seconds
(40) after a FLUSHALL: what each server gave back to the system. Every process runs on free loopback ports and is stopped on
exit.
"""
import os
import shlex
import socket
import subprocess
import sys
import tempfile
import time

from benchresp import encode, free_port, read_reply

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
JAR = os.environ.get("VIREO_JAR", os.path.join(ROOT, "target", "vireo.jar"))
VIREO_CMD = shlex.split(os.environ.get("VIREO_CMD", os.path.join(ROOT, "bin", "vireo")))
SCALE = float(os.environ.get("SCALE", "1"))
SETTLE = float(os.environ.get("SETTLE", "5"))
# after FLUSHALL: long enough for an idle JVM's periodic collection to run (bin/vireo: Shenandoah every 30 s without
# one, G1 every 5 s)
FLUSH_SETTLE = float(os.environ.get("FLUSH_SETTLE", "40"))
ALL_ROWS = ["start", "strings100", "strings10", "hashes", "zsets", "list"]
ROWS = [r for r in os.environ.get("ROWS", ",".join(ALL_ROWS)).split(",") if r]

procs = []


class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=600)
        self.f = self.s.makefile("rb")

    def call(self, *args):
        self.s.sendall(encode(*args))
        return read_reply(self.f, raise_errors=True)

    def pipeline(self, commands, batch=2000):
        """Sends the commands in batches, reading every reply; returns nothing (errors raise)."""
        for i in range(0, len(commands), batch):
            chunk = commands[i:i + batch]
            self.s.sendall(b"".join(encode(*c) for c in chunk))
            for _ in chunk:
                read_reply(self.f, raise_errors=True)

    def close(self):
        self.s.close()


def wait_ready(port, proc, what):
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit("%s exited with %s" % (what, proc.returncode))
        try:
            c = Conn(port)
            if c.call("PING") == "PONG":
                c.close()
                return
        except (OSError, RuntimeError):
            pass
        time.sleep(0.05)
    sys.exit("%s did not answer PING" % what)


def start_pair(workdir):
    vport, rport = free_port(), free_port()
    vdir = os.path.join(workdir, "vireo-%d" % vport)
    os.makedirs(vdir)
    v = subprocess.Popen(VIREO_CMD + ["--port", str(vport), "--save", "", "--dir", vdir,
                                      "--enable-debug-command", "yes"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ, VIREO_JAR=JAR))
    r = subprocess.Popen(["redis-server", "--port", str(rport), "--save", "", "--dir", workdir,
                          "--enable-debug-command", "yes", "--appendonly", "no"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs.extend([v, r])
    wait_ready(vport, v, "vireo")
    wait_ready(rport, r, "redis-server")
    return (vport, v), (rport, r)


def java_pid(proc):
    """bin/vireo execs java, so the pid is the JVM's; a wrapper that forks is followed to its java child."""
    try:
        children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
    except OSError:
        children = []
    return int(children[0]) if children and not is_java(proc.pid) else proc.pid


def is_java(pid):
    try:
        return os.path.basename(os.readlink("/proc/%d/exe" % pid)).startswith("java")
    except OSError:
        return False


def rss_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def used_memory_mb(port):
    info = Conn(port).call("INFO", "memory")
    for line in info.splitlines():
        if line.startswith("used_memory:"):
            return int(line.split(":")[1]) / (1024.0 * 1024.0)
    return float("nan")


def n(count):
    return max(1, int(count * SCALE))


def load(port, row):
    c = Conn(port)
    if row == "strings100":
        c.call("DEBUG", "POPULATE", n(1000000), "key", 100)
    elif row == "strings10":
        c.call("DEBUG", "POPULATE", n(1000000), "key", 10)
    elif row == "hashes":
        cmds = []
        for i in range(n(100000)):
            args = ["HSET", "hash:%d" % i]
            for j in range(10):
                args += ["field%d" % j, "v%d" % (i * 10 + j)]
            cmds.append(args)
        c.pipeline(cmds)
    elif row == "zsets":
        cmds = []
        for i in range(n(100000)):
            args = ["ZADD", "zset:%d" % i]
            for j in range(10):
                args += [str(j * 1.5), "member%d" % j]
            cmds.append(args)
        c.pipeline(cmds)
    elif row == "list":
        total = n(1000000)
        cmds = []
        for i in range(0, total, 100):
            cmds.append(["RPUSH", "biglist"] + ["e%d" % k for k in range(i, min(total, i + 100))])
        c.pipeline(cmds, batch=200)
    elif row != "start":
        sys.exit("unknown row %s (rows: %s)" % (row, ",".join(ALL_ROWS)))
    c.close()


def main():
    if not os.path.exists(JAR):
        subprocess.run(["mvn", "-B", "-q", "package", "-DskipTests"], cwd=ROOT, check=True)
    print("%-11s %10s %10s %7s %12s %12s %7s %10s %10s %7s %11s %11s" % (
        "row", "vireo RSS", "redis RSS", "ratio", "vireo used", "redis used", "ratio", "vireo data", "redis data",
        "ratio", "vireo flush", "redis flush"))
    with tempfile.TemporaryDirectory(prefix="vireo-memory-") as workdir:
        for row in ROWS:
            (vport, v), (rport, r) = start_pair(workdir)
            try:
                vpid = java_pid(v)
                time.sleep(SETTLE)
                v0, r0 = rss_mb(vpid), rss_mb(r.pid)
                load(vport, row)
                load(rport, row)
                time.sleep(SETTLE)
                vr, rr = rss_mb(vpid), rss_mb(r.pid)
                vu, ru = used_memory_mb(vport), used_memory_mb(rport)
                vd, rd = vr - v0, rr - r0
                for port in (vport, rport):
                    Conn(port).call("FLUSHALL")
                time.sleep(FLUSH_SETTLE)
                vf, rf = rss_mb(vpid), rss_mb(r.pid)
                print("%-11s %8.1fMB %8.1fMB %6.2fx %10.1fMB %10.1fMB %6.2fx %8.1fMB %8.1fMB %6.2fx %9.1fMB %9.1fMB" % (
                    row, vr, rr, vr / rr, vu, ru, vu / ru if ru else float("nan"), vd, rd,
                    vd / rd if rd > 0.5 else float("nan"), vf, rf))
                sys.stdout.flush()
            finally:
                stop(v, r)


def stop(*processes):
    """Stops the processes (SIGTERM, then SIGKILL after 20 s)."""
    for p in processes:
        p.terminate()
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()


def kill_left():
    """Kills whatever this run started and is still running (on exit, whatever the reason)."""
    for p in procs:
        if p.poll() is None:
            p.kill()


if __name__ == "__main__":
    try:
        main()
    finally:
        kill_left()
