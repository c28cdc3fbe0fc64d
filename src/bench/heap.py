#!/usr/bin/env python3
"""A dataset's live heap bytes in Vireo next to its used_memory in a real redis-server, in one run.

    python3 src/bench/heap.py                          # every row below
    ROWS=hashes,sets_int python3 src/bench/heap.py     # some rows
    VIREO_JAR=/tmp/other.jar python3 src/bench/heap.py

RSS (src/bench/memory.py) mixes the dataset with the JVM's own memory and the collector's headroom; this measures
the dataset alone: `jcmd <pid> GC.class_histogram` (which forces a full collection) before and after the load, on
Vireo, and INFO's used_memory before and after, on redis-server. Rows (each on a fresh pair of processes):
  strings100  1M keys x 100 B (memory.py's row)
  strings10   1M keys x 10 B (memory.py's row)
  hashes    100k hashes of 10 small fields (memory.py's row: listpack)
  zsets     100k sorted sets of 10 members (memory.py's row)
  list      one list of 1M small elements (memory.py's row)
  sets_int  100k sets of 10 small integers (intset)
  sets_str  100k sets of 10 short strings (hashtable)
  bighash   one hash of 1M fields (hashtable)
  bigset    one set of 1M short strings (hashtable)
It prints the classes holding most of Vireo's bytes under each row. Needs jcmd (a JDK) on the PATH.
"""
import os
import re
import subprocess
import sys

import memory
from benchresp import free_port

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
JAR = os.environ.get("VIREO_JAR", os.path.join(ROOT, "target", "vireo.jar"))
ALL_ROWS = ["strings100", "strings10", "hashes", "zsets", "list", "sets_int", "sets_str", "bighash", "bigset"]
ROWS = [r for r in os.environ.get("ROWS", ",".join(ALL_ROWS)).split(",") if r]
TOP = int(os.environ.get("TOP", "6"))


def histogram(pid):
    """The live heap's total bytes and per-class bytes (class name -> bytes)."""
    out = subprocess.run(["jcmd", str(pid), "GC.class_histogram"], capture_output=True, text=True,
                         check=True).stdout
    total = int(re.search(r"^Total\s+\d+\s+(\d+)", out, re.M).group(1))
    classes = {}
    for m in re.finditer(r"^\s*\d+:\s+\d+\s+(\d+)\s+(\S+)", out, re.M):
        classes[m.group(2)] = int(m.group(1))
    return total, classes


def used_memory(port):
    for line in memory.Conn(port).call("INFO", "memory").splitlines():
        if line.startswith("used_memory:"):
            return int(line.split(":")[1])
    return 0


def load(port, row):
    if row in ("strings100", "strings10", "hashes", "zsets", "list"):
        memory.load(port, row)
        return
    cmds = []
    if row == "sets_int":
        cmds = [["SADD", "set:%d" % i] + [str(i * 10 + j) for j in range(10)] for i in range(100000)]
    elif row == "sets_str":
        cmds = [["SADD", "set:%d" % i] + ["m%d" % (i * 10 + j) for j in range(10)] for i in range(100000)]
    elif row == "bighash":
        for i in range(0, 1000000, 100):
            args = ["HSET", "bighash"]
            for k in range(i, i + 100):
                args += ["field%d" % k, "v%d" % k]
            cmds.append(args)
    elif row == "bigset":
        cmds = [["SADD", "bigset"] + ["m%d" % k for k in range(i, i + 100)] for i in range(0, 1000000, 100)]
    else:
        sys.exit("unknown row %s (rows: %s)" % (row, ",".join(ALL_ROWS)))
    c = memory.Conn(port)
    c.pipeline(cmds, batch=500)
    c.close()


def main():
    if not os.path.exists(JAR):
        subprocess.run(["mvn", "-B", "-q", "package", "-DskipTests"], cwd=ROOT, check=True)
    print("%-9s %12s %12s %7s" % ("row", "vireo heap", "redis used", "ratio"))
    for row in ROWS:
        vport, rport = free_port(), free_port()
        v = subprocess.Popen(["java", "-jar", JAR, "--port", str(vport), "--save", "", "--http-port", "0",
                              "--enable-debug-command", "yes"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        r = subprocess.Popen(["redis-server", "--port", str(rport), "--save", "", "--appendonly", "no",
                              "--enable-debug-command", "yes"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        memory.procs.extend([v, r])
        try:
            memory.wait_ready(vport, v, "vireo")
            memory.wait_ready(rport, r, "redis-server")
            h0, c0 = histogram(v.pid)
            u0 = used_memory(rport)
            load(vport, row)
            load(rport, row)
            h1, c1 = histogram(v.pid)
            u1 = used_memory(rport)
            vb, rb = h1 - h0, u1 - u0
            print("%-9s %10.1fMB %10.1fMB %6.2fx" % (row, vb / 1e6, rb / 1e6, vb / rb if rb else float("nan")))
            grown = sorted(((c1[k] - c0.get(k, 0), k) for k in c1), reverse=True)[:TOP]
            for b, k in grown:
                print("%9s %10.1fMB  %s" % ("", b / 1e6, k))
            sys.stdout.flush()
        finally:
            memory.stop(v, r)


if __name__ == "__main__":
    try:
        main()
    finally:
        memory.kill_left()
