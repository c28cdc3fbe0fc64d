#!/usr/bin/env python3
"""Writes src/main/resources/dev/vireo/commands.json from a running redis-server 7.0's COMMAND INFO and COMMAND DOCS.

Usage: redis-server --port 7711 --save "" --daemonize yes
       python3 src/dev/commands_json.py 7711 > src/main/resources/dev/vireo/commands.json
       redis-cli -p 7711 shutdown nosave

The file holds what describes each command beyond what its code declares (arity, flags and the legacy
first/last/step key range stay in the command families): documentation, tips and key specs, in Vireo's format:

  "name": {"summary", "since", "group", "complexity", "doc_flags", "deprecated_since", "replaced_by",
           "history": [[version, text]...], "tips": [...],
           "acl_categories": [the categories its flags do not imply (write: @write, fast: @fast...)],
           "key_specs": [{"notes", "flags": [...], "index": i | "keyword": [word, startfrom],
                          "range": [lastkey, keystep, limit] | "keynum": [keynumidx, firstkey, keystep]}...],
           "arguments": [{name, type, display_text, key_spec_index, token, summary, since, flags, deprecated_since,
                          value, arguments}...],
           "subcommands": {"name|sub": {...}}}

A key spec without "index"/"keyword" has an unknown begin_search, one without "range"/"keynum" unknown find_keys.
Vireo's own differences live in commands-vireo.json (same format, merged over this file field by field).
"""
import json
import socket
import sys


class Resp3:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.buf = b""

    def call(self, *args):
        out = b"*%d\r\n" % len(args)
        for a in args:
            a = a.encode()
            out += b"$%d\r\n%s\r\n" % (len(a), a)
        self.sock.sendall(out)
        return self.read()

    def line(self):
        while b"\r\n" not in self.buf:
            self.buf += self.sock.recv(1 << 16)
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line.decode()

    def read(self):
        line = self.line()
        t, rest = line[0], line[1:]
        if t in "+":
            return rest
        if t == "-":
            raise RuntimeError(rest)
        if t == ":":
            return int(rest)
        if t == "_":
            return None
        if t == "$":
            n = int(rest)
            while len(self.buf) < n + 2:
                self.buf += self.sock.recv(1 << 16)
            s, self.buf = self.buf[:n].decode(), self.buf[n + 2:]
            return s
        if t in "*~":
            return [self.read() for _ in range(int(rest))]
        if t == "%":
            m = {}
            for _ in range(int(rest)):
                k = self.read()
                m[k] = self.read()
            return m
        raise RuntimeError("unexpected " + line)


def key_spec(ks):
    r = {}
    if "notes" in ks:
        r["notes"] = ks["notes"]
    r["flags"] = ks["flags"]
    bs, fk = ks["begin_search"], ks["find_keys"]
    if bs["type"] == "index":
        r["index"] = bs["spec"]["index"]
    elif bs["type"] == "keyword":
        r["keyword"] = [bs["spec"]["keyword"], bs["spec"]["startfrom"]]
    if fk["type"] == "range":
        r["range"] = [fk["spec"]["lastkey"], fk["spec"]["keystep"], fk["spec"]["limit"]]
    elif fk["type"] == "keynum":
        r["keynum"] = [fk["spec"]["keynumidx"], fk["spec"]["firstkey"], fk["spec"]["keystep"]]
    return r


def implied_categories(flags, categories):
    """The ACL categories Redis gives a command for its flags (setImplicitACLCategories)."""
    r = set()
    if "write" in flags:
        r.add("@write")
    if "readonly" in flags and "@scripting" not in categories:
        r.add("@read")
    if "admin" in flags:
        r.update(("@admin", "@dangerous"))
    if "pubsub" in flags:
        r.add("@pubsub")
    if "fast" in flags:
        r.add("@fast")
    if "blocking" in flags:
        r.add("@blocking")
    if "@fast" not in r:
        r.add("@slow")
    return r


def entry(info, docs):
    r = {}
    for k, v in docs.items():
        if k == "subcommands":
            continue
        r[k] = v
    implied = implied_categories(info[2], info[6])
    explicit = [c for c in info[6] if c not in implied]
    if explicit:
        r["acl_categories"] = explicit
    if info[7]:
        r["tips"] = info[7]
    if info[8]:
        r["key_specs"] = [key_spec(ks) for ks in info[8]]
    subs = {}
    sub_docs = docs.get("subcommands", {})
    for sub in sorted(info[9], key=lambda s: s[0]):
        subs[sub[0]] = entry(sub, sub_docs[sub[0]])
    if subs:
        r["subcommands"] = subs
    return r


def main():
    c = Resp3(int(sys.argv[1]))
    c.call("HELLO", "3")
    infos = {i[0]: i for i in c.call("COMMAND", "INFO")}
    docs = c.call("COMMAND", "DOCS")
    out = {name: entry(infos[name], docs[name]) for name in sorted(infos)}
    sys.stdout.write(dump(out, 0) + "\n")


def dump(v, depth):
    """JSON with one line per field, and on one line what holds no object with nested ones (a key spec, a leaf
    argument, a list of flags)."""
    flat = json.dumps(v, ensure_ascii=False)
    if not isinstance(v, (dict, list)) or len(flat) <= 100 and not nested(v):
        return flat
    pad = " " * (depth + 1)
    if isinstance(v, dict):
        items = ["%s%s: %s" % (pad, json.dumps(k), dump(x, depth + 1)) for k, x in v.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * depth + "}"
    items = [pad + dump(x, depth + 1) for x in v]
    return "[\n" + ",\n".join(items) + "\n" + " " * depth + "]"


def nested(v):
    """Whether v holds an object that itself holds an object or a list of objects."""
    children = v.values() if isinstance(v, dict) else v
    for c in children:
        if isinstance(c, dict) and any(isinstance(x, (dict, list)) and x and not all(
                isinstance(y, str) for y in (x if isinstance(x, list) else [1])) for x in c.values()):
            return True
        if isinstance(c, (dict, list)) and nested(c):
            return True
    return False


if __name__ == "__main__":
    main()
