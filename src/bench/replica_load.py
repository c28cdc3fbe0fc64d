#!/usr/bin/env python3
"""Replica load benchmark: a Vireo replica's full sync from a real redis-server master, per repl-diskless-load.

    python3 src/bench/replica_load.py                       # 1M keys x 100 B, 3 rounds
    KEYS=200000 ROUNDS=2 LOADS=disabled,swapdb SYNCS=yes python3 src/bench/replica_load.py

The master (redis-server, repl-diskless-sync-delay 0) holds KEYS keys of VALUE bytes (DEBUG POPULATE). Per
round a fresh Vireo replica runs REPLICAOF; the time until its master_link_status is up is measured (the RDB is
produced, sent and loaded: through a temp file with disabled, parsed from the socket with swapdb and
on-empty-db). Digests are compared after each sync. LOADS picks the repl-diskless-load modes, SYNCS the
master's repl-diskless-sync values. Every process runs on free loopback ports and is stopped on exit.
"""
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
import replication as r  # noqa: E402  (the helpers: ports, RESP, process start and stop)

KEYS = int(os.environ.get("KEYS", "1000000"))
VALUE = int(os.environ.get("VALUE", "100"))
ROUNDS = int(os.environ.get("ROUNDS", "3"))
LOADS = os.environ.get("LOADS", "disabled,swapdb,on-empty-db").split(",")
SYNCS = os.environ.get("SYNCS", "yes,no").split(",")


def one_sync(master_port, workdir, load):
    port = r.free_port()
    p = r.start_vireo(port, workdir, "--repl-diskless-load", load)
    try:
        t0 = time.perf_counter()
        r.cmd(port, "REPLICAOF", "127.0.0.1", master_port)
        while r.info(port).get("master_link_status") != "up":
            time.sleep(0.005)
        took = time.perf_counter() - t0
        if r.cmd(port, "DEBUG", "DIGEST") != r.cmd(master_port, "DEBUG", "DIGEST"):
            raise RuntimeError("digests differ after the full sync")
        return took
    finally:
        r.stop(p)


def main():
    if not os.path.exists(r.JAR):
        sys.exit("no %s: run mvn -o -q package -DskipTests first" % r.JAR)
    workdir = tempfile.mkdtemp(prefix="vireo-bench-")
    try:
        mport = r.free_port()
        r.start_redis(mport, workdir)
        r.cmd(mport, "DEBUG", "POPULATE", KEYS, "key", VALUE)
        print("master: redis-server, %d keys x %d B" % (KEYS, VALUE))
        for sync in SYNCS:
            r.cmd(mport, "CONFIG", "SET", "repl-diskless-sync", sync)
            for load in LOADS:
                times = [one_sync(mport, workdir, load) for _ in range(ROUNDS)]
                print("repl-diskless-sync %-3s  repl-diskless-load %-11s  %s  median %.2f s" % (
                    sync, load, " ".join("%.2f" % t for t in times), statistics.median(times)), flush=True)
    finally:
        for p in r.procs:
            r.stop(p)
        r.shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
