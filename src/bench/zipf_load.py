#!/usr/bin/env python3
"""A cache-aside load on one server: GETs of Zipf-distributed keys, a SET after each miss, some plain writes.

    python3 src/bench/zipf_load.py fill --port 6380 --keys 200000
    python3 src/bench/zipf_load.py run --port 6380 --keys 200000 --warmup 400000 --ops 1000000
    python3 src/bench/zipf_load.py model --keys 200000 --warmup 400000 --ops 1000000 --capacity 66000

`fill` SETs key:0 .. key:N-1 to values of --size bytes. `run` draws --warmup then --ops operations from a seeded
generator: with probability --reads a GET of a key whose popularity rank follows Zipf(--zipf) over --keys keys
(rank r drawn with weight 1/r^s), and when the GET misses a SET of that key, as an application filling its cache
does; otherwise a SET of such a key. Ranks are spread over the key names by a fixed multiplicative permutation, so
the hot keys are not key:0, key:1, ... The draws do not depend on the replies: two servers given the same seed
see the same GETs and writes, and differ only in the SETs that follow their own misses.

Operations go out in pipelined batches of --pipeline: the batch's GETs and writes, then the SETs of its misses.
Only the --ops measured operations are counted. `model` runs the same operations against an exact LRU cache of
--capacity keys (0: unbounded) inside this process, no server: a reference for the hit ratios.

The last line printed is `key=value` pairs: gets, hits, misses, hit_ratio (hits/gets), writes, fills (SETs after
a miss), errors (error replies, e.g. -OOM), seconds, ops_per_sec. Standard library only, one connection.
"""

import argparse
import bisect
import collections
import itertools
import random
import socket
import sys
import time

from benchresp import encode

# Spreads popularity ranks over key numbers; a bijection on 0..N-1 whenever N is not a multiple of this prime.
SPREAD = 2654435761


class Connection:
    """One RESP connection that sends a batch of commands at once and reads their replies in order."""

    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
        self.pos = 0
        self.errors = []

    def _fill(self):
        chunk = self.sock.recv(1 << 20)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        self.buf = self.buf[self.pos:] + chunk
        self.pos = 0

    def _line(self):
        while True:
            end = self.buf.find(b"\r\n", self.pos)
            if end >= 0:
                line = self.buf[self.pos:end]
                self.pos = end + 2
                return line
            self._fill()

    def replies(self, n):
        """Reads n replies; for each, True when it is a bulk string (a hit), False otherwise. Errors are kept."""
        out = []
        for _ in range(n):
            line = self._line()
            kind = line[:1]
            if kind == b"$":
                length = int(line[1:])
                if length < 0:
                    out.append(False)
                    continue
                while len(self.buf) - self.pos < length + 2:
                    self._fill()
                self.pos += length + 2
                out.append(True)
            elif kind == b"-":
                self.errors.append(line.decode(errors="replace"))
                out.append(False)
            elif kind in (b"+", b":"):
                out.append(False)
            else:
                raise ValueError("unexpected reply %r" % line)
        return out

    def send(self, data):
        self.sock.sendall(data)

    def call(self, *args):
        self.send(encode(*args))
        return self._line()


def set_cmd(key, value):
    return b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(key), key, len(value), value)


def get_cmd(key):
    return b"*2\r\n$3\r\nGET\r\n$%d\r\n%s\r\n" % (len(key), key)


def fill(conn, args):
    value = b"v" * args.size
    start = time.perf_counter()
    for first in range(0, args.keys, args.pipeline):
        last = min(first + args.pipeline, args.keys)
        conn.send(b"".join(set_cmd(b"key:%d" % i, value) for i in range(first, last)))
        conn.replies(last - first)
    seconds = time.perf_counter() - start
    print("keys=%d errors=%d seconds=%.2f" % (args.keys, len(conn.errors), seconds))


class Draws:
    """The seeded sequence of operations: (is_get, key) pairs, the same for every server given the same arguments."""

    def __init__(self, args):
        self.n = args.keys
        if self.n % SPREAD == 0:
            sys.exit("--keys must not be a multiple of %d" % SPREAD)
        self.cdf = list(itertools.accumulate(1.0 / (r ** args.zipf) for r in range(1, self.n + 1)))
        self.total = self.cdf[-1]
        self.rand = random.Random(args.seed).random
        self.reads = args.reads

    def take(self, count):
        """The next count operations, as two lists: is_get flags and keys."""
        n, cdf, total, rand, pick = self.n, self.cdf, self.total, self.rand, bisect.bisect_left
        flags = []
        keys = []
        for _ in range(count):
            flags.append(rand() < self.reads)
            rank = pick(cdf, rand() * total)
            if rank >= n:
                rank = n - 1
            keys.append(b"key:%d" % ((rank * SPREAD) % n))
        return flags, keys


def report(gets, hits, writes, fills, errors, seconds, ops):
    print("gets=%d hits=%d misses=%d hit_ratio=%.4f writes=%d fills=%d errors=%d seconds=%.2f ops_per_sec=%.0f" % (
        gets, hits, gets - hits, hits / gets if gets else 0.0, writes, fills, errors, seconds,
        (ops / seconds) if seconds > 0 else 0.0))


def run(conn, args):
    draws = Draws(args)
    value = b"v" * args.size
    gets = hits = writes = fills = 0
    errors_before = 0
    counted = False
    start = time.perf_counter()
    done = 0
    todo = args.warmup + args.ops
    while done < todo:
        if not counted and done >= args.warmup:
            counted = True
            gets = hits = writes = fills = 0
            errors_before = len(conn.errors)
            start = time.perf_counter()
        batch = min(args.pipeline, (todo if counted else args.warmup) - done)
        is_get, keys = draws.take(batch)
        conn.send(b"".join(get_cmd(k) if g else set_cmd(k, value) for g, k in zip(is_get, keys)))
        found = conn.replies(batch)
        missed = [k for k, g, f in zip(keys, is_get, found) if g and not f]
        batch_gets = sum(is_get)
        gets += batch_gets
        hits += batch_gets - len(missed)
        writes += batch - batch_gets
        if missed:
            conn.send(b"".join(set_cmd(k, value) for k in missed))
            conn.replies(len(missed))
            fills += len(missed)
        done += batch
        if args.rate > 0:
            ahead = (done - (args.warmup if counted else 0)) / args.rate - (time.perf_counter() - start)
            if ahead > 0:
                time.sleep(ahead)
    if conn.errors:
        print("first error reply: %s" % conn.errors[0], file=sys.stderr)
    report(gets, hits, writes, fills, len(conn.errors) - errors_before, time.perf_counter() - start, args.ops)


def model(args):
    """The same operations against an exact LRU cache of --capacity keys (0: unbounded) held in this process."""
    draws = Draws(args)
    cache = collections.OrderedDict()
    capacity = args.capacity
    gets = hits = writes = fills = 0
    start = time.perf_counter()
    done = 0
    todo = args.warmup + args.ops
    while done < todo:
        if done == args.warmup:
            gets = hits = writes = fills = 0
            start = time.perf_counter()
        batch = min(10000, (todo if done >= args.warmup else args.warmup) - done)
        is_get, keys = draws.take(batch)
        for g, k in zip(is_get, keys):
            if k in cache:
                cache.move_to_end(k)
                if g:
                    gets += 1
                    hits += 1
                else:
                    writes += 1
                continue
            if g:
                gets += 1
                fills += 1
            else:
                writes += 1
            cache[k] = True
            if capacity and len(cache) > capacity:
                cache.popitem(last=False)
        done += batch
    report(gets, hits, writes, fills, 0, time.perf_counter() - start, args.ops)


def main():
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--host", default="127.0.0.1")
    common.add_argument("--port", type=int, help="the server's port (fill and run)")
    common.add_argument("--keys", type=int, default=200000, help="key space (N)")
    common.add_argument("--size", type=int, default=100, help="value size in bytes")
    common.add_argument("--pipeline", type=int, default=100, help="commands per batch")
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="mode", required=True)
    sub.add_parser("fill", parents=[common], help="SET key:0 .. key:N-1")
    r = sub.add_parser("run", parents=[common], help="the cache-aside Zipf load")
    r.add_argument("--rate", type=float, default=0, help="operations a second at most (0: as fast as it goes)")
    m = sub.add_parser("model", parents=[common],
                       help="the run's operations against an exact LRU cache in this process, no server")
    m.add_argument("--capacity", type=int, default=0, help="keys the cache holds (0: unbounded)")
    for sp in (r, m):
        sp.add_argument("--ops", type=int, default=1000000, help="measured operations")
        sp.add_argument("--warmup", type=int, default=0, help="operations before the measured ones, not counted")
        sp.add_argument("--zipf", type=float, default=0.99, help="Zipf exponent s")
        sp.add_argument("--reads", type=float, default=0.9, help="share of operations that are GETs")
        sp.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    if args.mode == "model":
        model(args)
        return
    if args.port is None:
        p.error("--port is needed for %s" % args.mode)
    conn = Connection(args.host, args.port)
    if args.mode == "fill":
        fill(conn, args)
    else:
        run(conn, args)


if __name__ == "__main__":
    main()
