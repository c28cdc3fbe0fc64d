#!/usr/bin/env python3
"""Replication benchmark: a Vireo master next to a real redis-server master, in one run.

    python3 src/bench/replication.py                 # 1M keys x 100 B, 3 rounds, diskless and disk-based
    KEYS=200000 ROUNDS=2 MODES=diskless python3 src/bench/replication.py
    REPLICAS=1,3 python3 src/bench/replication.py     # throughput with one, then three replicas attached

1. Full sync: each master holds KEYS keys of VALUE bytes (DEBUG POPULATE); a real redis-server replica runs
   REPLICAOF and the time until its master_link_status is up is measured (the RDB is produced, sent and
   loaded). repl-diskless-sync-delay is 0 on both masters, so no fixed delay is counted.
2. Throughput while replicas keep up: redis-benchmark -t set -P 16 on the master with REPLICAS real
   redis-server replicas attached (1 by default; a list such as 1,3 runs each count); a sampler reads the
   offsets every 10 ms and reports the largest lag in bytes (master_repl_offset - the slowest replica's
   slave_repl_offset) and in ms (how long after the master reached an offset every replica reached it), and
   the largest mem_total_replication_buffers and mem_clients_slaves seen (INFO memory): with one shared
   replication buffer they stay about the backlog's size, whatever the number of replicas.

Every process runs on free loopback ports and is stopped on exit. Prints ratios vireo/redis.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

from benchresp import encode, free_port, read_reply

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
JAR = os.environ.get("VIREO_JAR", os.path.join(ROOT, "target", "vireo.jar"))
KEYS = int(os.environ.get("KEYS", "1000000"))
VALUE = int(os.environ.get("VALUE", "100"))
ROUNDS = int(os.environ.get("ROUNDS", "3"))
MODES = [m for m in os.environ.get("MODES", "diskless,disk").split(",") if m]
REQUESTS = int(os.environ.get("REQUESTS", "2000000"))
REPLICAS = [int(n) for n in os.environ.get("REPLICAS", "1").split(",")]

procs = []


def cmd(port, *args, timeout=600):
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(encode(*args))
        f = s.makefile("rb")
        return read_reply(f)


def info(port, section="replication"):
    text = cmd(port, "INFO", section)
    return dict(l.split(":", 1) for l in text.split("\r\n") if ":" in l)


def wait_ping(port, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if cmd(port, "PING", timeout=2) == "PONG":
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError("no PONG from port %d" % port)


def start_redis(port, workdir, *extra):
    d = tempfile.mkdtemp(dir=workdir)
    p = subprocess.Popen(["redis-server", "--port", str(port), "--save", "", "--appendonly", "no", "--dir", d,
                          "--enable-debug-command", "yes", "--repl-diskless-sync-delay", "0", *extra],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs.append(p)
    wait_ping(port)
    return p


def start_vireo(port, workdir, *extra):
    d = tempfile.mkdtemp(dir=workdir)
    p = subprocess.Popen(["java", "-jar", JAR, "--port", str(port), "--http-port", "0", "--save", "", "--dir", d,
                          "--enable-debug-command", "yes", "--repl-diskless-sync-delay", "0", *extra],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         env=dict(os.environ, OTEL_SDK_DISABLED="true"))
    procs.append(p)
    wait_ping(port)
    return p


def stop(p):
    if p.poll() is None:
        p.terminate()
        try:
            p.wait(20)
        except subprocess.TimeoutExpired:
            p.kill()


def full_sync(master_port, workdir, diskless):
    cmd(master_port, "CONFIG", "SET", "repl-diskless-sync", "yes" if diskless else "no")
    rport = free_port()
    r = start_redis(rport, workdir)
    try:
        t0 = time.perf_counter()
        cmd(rport, "REPLICAOF", "127.0.0.1", master_port)
        while info(rport).get("master_link_status") != "up":
            time.sleep(0.005)
        took = time.perf_counter() - t0
        if cmd(rport, "DEBUG", "DIGEST") != cmd(master_port, "DEBUG", "DIGEST"):
            raise RuntimeError("digests differ after the full sync")
        return took
    finally:
        stop(r)


def throughput(master_port, workdir, replicas):
    rports = [free_port() for _ in range(replicas)]
    rs = [start_redis(p, workdir) for p in rports]
    try:
        for rport in rports:
            cmd(rport, "REPLICAOF", "127.0.0.1", master_port)
        for rport in rports:
            while info(rport).get("master_link_status") != "up":
                time.sleep(0.01)

        def slowest():
            return min(int(info(p)["slave_repl_offset"]) for p in rports)
        samples = []  # (time, master offset, replica offset)
        mem = [0, 0]  # largest mem_total_replication_buffers, mem_clients_slaves
        done = threading.Event()

        def sample():
            while not done.is_set():
                t = time.perf_counter()
                m = int(info(master_port)["master_repl_offset"])
                s = slowest()
                samples.append((t, m, s))
                mi = info(master_port, "memory")
                mem[0] = max(mem[0], int(mi["mem_total_replication_buffers"]))
                mem[1] = max(mem[1], int(mi["mem_clients_slaves"]))
                time.sleep(0.01)

        # JIT warm-up (and the same for redis-server, so both are measured alike)
        subprocess.run(["redis-benchmark", "-p", str(master_port), "-t", "set", "-P", "16", "-n", str(REQUESTS),
                        "-r", "100000", "-q"], capture_output=True)
        th = threading.Thread(target=sample)
        th.start()
        out = subprocess.run(["redis-benchmark", "-p", str(master_port), "-t", "set", "-P", "16", "-n",
                              str(REQUESTS), "-r", "100000", "-q"], capture_output=True, text=True).stdout
        # let the replica catch up, then stop sampling
        deadline = time.time() + 30
        while time.time() < deadline:
            if slowest() >= int(info(master_port)["master_repl_offset"]):
                break
            time.sleep(0.01)
        time.sleep(0.05)
        done.set()
        th.join()
        rps = float(re.findall(r"([\d.]+) requests per second", out)[-1])
        max_bytes = max(m - s for _, m, s in samples)
        max_ms = 0.0
        for i, (t, m, _) in enumerate(samples):
            for t2, _, s2 in samples[i:]:
                if s2 >= m:
                    max_ms = max(max_ms, (t2 - t) * 1000)
                    break
        for rport in rports:
            if cmd(rport, "DEBUG", "DIGEST") != cmd(master_port, "DEBUG", "DIGEST"):
                raise RuntimeError("digests differ after the benchmark")
        return rps, max_bytes, max_ms, mem[0], mem[1]
    finally:
        for r in rs:
            stop(r)


def main():
    for tool in ("java", "redis-server", "redis-benchmark"):
        if shutil.which(tool) is None:
            sys.exit(tool + " not found (Debian: apt-get install -y redis-server redis-tools)")
    if not os.path.exists(JAR):
        subprocess.run(["mvn", "-B", "-q", "package", "-DskipTests"], cwd=ROOT, check=True)
    workdir = tempfile.mkdtemp(prefix="vireo-repl-bench.")
    try:
        ports = {"redis": free_port(), "vireo": free_port()}
        start_redis(ports["redis"], workdir)
        start_vireo(ports["vireo"], workdir)
        for name, port in ports.items():
            cmd(port, "DEBUG", "POPULATE", KEYS, "key", VALUE)
        print("full sync of %d keys x %d B to a redis-server 7.0 replica (s)" % (KEYS, VALUE))
        for mode in MODES:
            for rnd in range(ROUNDS):
                t = {name: full_sync(port, workdir, mode == "diskless") for name, port in ports.items()}
                print("  %-8s round %d: redis master %.3f  vireo master %.3f  ratio %.2f"
                      % (mode, rnd + 1, t["redis"], t["vireo"], t["vireo"] / t["redis"]))
        for port in ports.values():
            cmd(port, "FLUSHALL")
        for n in REPLICAS:
            print("redis-benchmark -t set -P 16 -n %d on the master, %d redis-server replica(s) attached"
                  % (REQUESTS, n))
            for rnd in range(ROUNDS):
                res = {name: throughput(port, workdir, n) for name, port in ports.items()}
                print("  round %d: redis %.0f rps (max lag %d B, %.0f ms; max repl buffers %d B, replicas %d B)"
                      "  vireo %.0f rps (max lag %d B, %.0f ms; max repl buffers %d B, replicas %d B)  ratio %.2f"
                      % (rnd + 1, *res["redis"], *res["vireo"], res["vireo"][0] / res["redis"][0]))
    finally:
        for p in procs:
            stop(p)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
