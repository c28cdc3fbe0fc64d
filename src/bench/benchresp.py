"""What the Python benchmarks share: free loopback ports, and RESP encoded and read by hand (no client library, so
the figures are the servers' and not a library's)."""
import socket


def free_port():
    """A free loopback port, never Redis's or Vireo's defaults, with room for the port + 10000 HTTP endpoint."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            p = s.getsockname()[1]
        if p not in (6379, 16379, 26379) and p + 10000 < 65536:
            return p


def encode(*args):
    """A command as a RESP array of bulk strings (str arguments as UTF-8, others as their str())."""
    parts = [b"*%d\r\n" % len(args)]
    for a in args:
        if not isinstance(a, bytes):
            a = str(a).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(parts)


def read_reply(f, raise_errors=False):
    """One reply from a binary file object: str for status, error and bulk replies, int, None or a list."""
    line = f.readline()
    t, rest = line[:1], line[1:-2]
    if t == b"-" and raise_errors:
        raise RuntimeError(rest.decode())
    if t in (b"+", b"-"):
        return rest.decode()
    if t == b":":
        return int(rest)
    if t == b"$":
        n = int(rest)
        if n < 0:
            return None
        return f.read(n + 2)[:-2].decode(errors="replace")
    if t == b"*":
        return [read_reply(f, raise_errors) for _ in range(int(rest))]
    raise RuntimeError("bad reply %r" % line)
