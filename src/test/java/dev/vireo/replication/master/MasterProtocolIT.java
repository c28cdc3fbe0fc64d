package dev.vireo.replication.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.FreePort;
import dev.vireo.testkit.RespClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The master side of the replication protocol byte by byte: REPLCONF, PSYNC and SYNC replies, the RDB framing,
 * keepalives, the backlog, min-replicas-to-write, WAIT, CLIENT LIST and ROLE. Every test runs against a Vireo node
 * and against a real redis-server 7.0.15 with the same literal expectations.
 */
@Timeout(60)
class MasterProtocolIT {
  private static final Pattern FULLRESYNC = Pattern.compile("\\+FULLRESYNC ([0-9a-f]{40}) (\\d+)");

  /** No PING in the stream while a test runs (the cadence starts with the server): offsets stay put between reads. */
  private static Peer start(String kind, String diskless) {
    return Peer.start(kind, "--repl-diskless-sync", diskless, "--repl-diskless-sync-delay", "0",
        "--repl-ping-replica-period", "3600");
  }

  @ParameterizedTest
  @ValueSource(strings = {Peer.VIREO, Peer.REDIS})
  void replconfReplies(String kind) {
    try (Peer p = start(kind, "no")) {
      RespClient c = p.client();
      assertEquals("-ERR syntax error\r\n", c.call("REPLCONF", "listening-port"));
      assertEquals("-ERR syntax error\r\n", c.call("REPLCONF", "listening-port", "1", "capa"));
      assertEquals("+OK\r\n", c.call("REPLCONF"));
      assertEquals("-ERR Unrecognized REPLCONF option: no-such-option\r\n",
          c.call("REPLCONF", "no-such-option", "1"));
      assertEquals("-ERR value is out of range, value must between 0 and 1\r\n", c.call("REPLCONF", "rdb-only", "2"));
      assertEquals("-ERR value is out of range, value must between 0 and 1\r\n",
          c.call("REPLCONF", "rdb-only", "-1"));
      assertEquals("-ERR value is not an integer or out of range\r\n", c.call("REPLCONF", "rdb-only", "yes"));
      assertEquals("-ERR value is not an integer or out of range\r\n",
          c.call("REPLCONF", "listening-port", "sixty"));
      assertEquals("+OK\r\n", c.call("REPLCONF", "listening-port", "6380"));
      assertEquals("+OK\r\n", c.call("REPLCONF", "capa", "eof", "capa", "psync2", "capa", "unknown-capa"));
      assertEquals("+OK\r\n", c.call("REPLCONF", "ip-address", "10.1.2.3"));
      // an address is refused from 256 bytes on (a host name may be long)
      assertEquals("+OK\r\n", c.call("REPLCONF", "ip-address", "h".repeat(255)));
      assertEquals("-ERR REPLCONF ip-address provided by replica instance is too long: 256 bytes\r\n",
          c.call("REPLCONF", "ip-address", "h".repeat(256)));
      assertEquals("+OK\r\n", c.call("REPLCONF", "rdb-filter-only", ""));
      assertEquals("-ERR Unsupported rdb-filter-only option: keys\r\n", c.call("REPLCONF", "rdb-filter-only", "keys"));
      // ACK and GETACK are never answered: the PING right behind them is
      c.sendRaw(RespClient.encodeCommand("REPLCONF", "ACK", "100"));
      c.sendRaw(RespClient.encodeCommand("REPLCONF", "GETACK", "*"));
      c.sendRaw(RespClient.encodeCommand("REPLCONF", "listening-port", "1", "ACK", "5"));
      assertEquals("+PONG\r\n", c.call("PING"));
      // the connection is still an ordinary client
      assertEquals("0", Repl.info(c, "replication", "connected_slaves"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {Peer.VIREO, Peer.REDIS})
  void psyncRefusals(String kind) {
    try (Peer p = start(kind, "no")) {
      RespClient c = p.client();
      assertEquals("+OK\r\n", c.call("MULTI"));
      assertEquals("-ERR Command not allowed inside a transaction\r\n", c.call("PSYNC", "?", "-1"));
      assertEquals("-ERR Command not allowed inside a transaction\r\n", c.call("SYNC"));
      assertEquals("-EXECABORT Transaction discarded because of previous errors.\r\n", c.call("EXEC"));
      assertEquals("-ERR wrong number of arguments for 'psync' command\r\n", c.call("PSYNC", "?"));
      assertEquals("-ERR wrong number of arguments for 'sync' command\r\n", c.call("SYNC", "now"));
      assertEquals("-ERR value is not an integer or out of range\r\n", c.call("PSYNC", "?", "minus-one"));

      // behind a reply not yet written, PSYNC and SYNC are refused
      c.sendRaw(concat(RespClient.encodeCommand("PING"), RespClient.encodeCommand("PSYNC", "?", "-1")));
      assertEquals("+PONG\r\n", c.readReply());
      assertEquals("-ERR SYNC and PSYNC are invalid with pending output\r\n", c.readReply());
      c.sendRaw(concat(RespClient.encodeCommand("SET", "k", "v"), "SYNC\r\n".getBytes(StandardCharsets.US_ASCII)));
      assertEquals("+OK\r\n", c.readReply());
      assertEquals("-ERR SYNC and PSYNC are invalid with pending output\r\n", c.readReply());
      assertEquals("0", Repl.info(c, "replication", "connected_slaves"));
      assertEquals("0", Repl.info(c, "stats", "sync_full"));
    }
  }

  /** {@code +FULLRESYNC <replid> <offset>}, then {@code $<len>} and the RDB with no CRLF after it. */
  @ParameterizedTest
  @ValueSource(strings = {Peer.VIREO, Peer.REDIS})
  void diskBasedFullResync(String kind) {
    try (Peer p = start(kind, "no"); RawReplica r = new RawReplica(p.port())) {
      RespClient c = p.client();
      c.call("SET", "before", "1");
      r.handshake(4321, true);
      Matcher m = fullResync(r.psync("?", -1));
      assertEquals(Repl.info(c, "replication", "master_replid"), m.group(1));
      long offset = Long.parseLong(m.group(2));
      RawReplica.Rdb rdb = r.readRdb();
      assertTrue(rdb.header().matches("\\$\\d+"), rdb.header());
      assertRdb(rdb.payload());
      c.call("SET", "after", "2");
      // the stream follows the RDB's checksum directly, and starts by selecting its database
      byte[] next = r.readFor(300);
      String stream = new String(next, StandardCharsets.ISO_8859_1);
      assertEquals("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$5\r\nafter\r\n$1\r\n2\r\n", stream);
      Repl.equal("master_repl_offset", Long.toString(offset + next.length),
          () -> Repl.info(c, "replication", "master_repl_offset"));
      assertEquals("1", Repl.info(c, "stats", "sync_full"));
    }
  }

  /** Diskless: {@code $EOF:<40 chars>}, the RDB, the same 40 chars; the stream waits for the replica's first ACK. */
  @ParameterizedTest
  @ValueSource(strings = {Peer.VIREO, Peer.REDIS})
  void disklessFullResync(String kind) {
    try (Peer p = start(kind, "yes"); RawReplica r = new RawReplica(p.port())) {
      RespClient c = p.client();
      c.call("SET", "before", "1");
      r.handshake(4321, true);
      long offset = Long.parseLong(fullResync(r.psync("?", -1)).group(2));
      RawReplica.Rdb rdb = r.readRdb();
      assertTrue(rdb.header().matches("\\$EOF:[\\x21-\\x7e]{40}"), rdb.header());
      assertRdb(rdb.payload());
      c.call("SET", "after", "2");
      assertEquals(0, r.readFor(300).length, "the stream started before the replica acknowledged the RDB");
      r.ack(offset);
      List<String> cmd = r.command();
      while (!cmd.get(0).equalsIgnoreCase("set")) cmd = r.command();
      assertEquals(List.of("SET", "after", "2"), cmd);
    }
  }

  /**
   * Replicas that arrive while repl-diskless-sync-delay runs share one snapshot, sent to both at once; with
   * repl-diskless-sync-max-replicas reached, the transfer starts without waiting out the delay.
   */
  @ParameterizedTest
  @ValueSource(strings = {Peer.VIREO, Peer.REDIS})
  void replicasArrivingTogetherShareOneSnapshot(String kind) {
    try (Peer p = Peer.start(kind, "--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "60",
            "--repl-diskless-sync-max-replicas", "2");
        RawReplica a = new RawReplica(p.port());
        RawReplica b = new RawReplica(p.port())) {
      RespClient c = p.client();
      c.call("SET", "k", "v");
      a.handshake(4321, true);
      b.handshake(4322, true);
      a.send("PSYNC", "?", "-1");
      Repl.until("the first replica to wait", () -> Repl.info(c, "replication", "slave0") != null);
      b.send("PSYNC", "?", "-1");
      Matcher ma = fullResync(a.lineSkippingKeepalives());
      Matcher mb = fullResync(b.lineSkippingKeepalives());
      assertEquals(ma.group(0), mb.group(0));
      RawReplica.Rdb ra = a.readRdb();
      RawReplica.Rdb rb = b.readRdb();
      assertEquals(ra.header(), rb.header());
      assertTrue(Arrays.equals(ra.payload(), rb.payload()), "two different snapshots");
      assertEquals(1, RealReplicaIT.count(p.log(), "Starting BGSAVE for SYNC with target: replicas sockets"));
      assertEquals("2", Repl.info(c, "stats", "sync_full"));
    }
  }

  /**
   * {@code +CONTINUE <replid>} to a replica that declared psync2, bare {@code +CONTINUE} otherwise, followed by the
   * backlog from the requested offset; a request outside the backlog or for another history is a full resync and
   * counts in sync_partial_err.
   */
  @ParameterizedTest
  @ValueSource(strings = {Peer.VIREO, Peer.REDIS})
  void partialResyncAndTheBacklog(String kind) {
    try (Peer p = start(kind, "no")) {
      RespClient c = p.client();
      assertEquals("0", Repl.info(c, "replication", "repl_backlog_active"));
      String replid;
      long offset;
      try (RawReplica r = new RawReplica(p.port())) {
        r.handshake(4321, true);
        Matcher m = fullResync(r.psync("?", -1));
        replid = m.group(1);
        offset = Long.parseLong(m.group(2));
        r.readRdb();
        long start = r.bytesRead();
        c.call("SET", "k1", "v1");
        List<String> cmd;
        do {
          cmd = r.command();
        } while (!cmd.get(0).equalsIgnoreCase("set"));
        offset += r.bytesRead() - start;
      }
      // the history is in the backlog: first byte, length and the master's offset agree
      assertEquals("1", Repl.info(c, "replication", "repl_backlog_active"));
      assertBacklogConsistent(c);
      c.call("SET", "k2", "v2");
      Repl.until("the replica to be gone", () -> "0".equals(Repl.info(c, "replication", "connected_slaves")));

      try (RawReplica r = new RawReplica(p.port())) {
        r.handshake(4322, true);
        assertEquals("+CONTINUE " + replid, r.psync(replid, offset + 1));
        assertEquals(List.of("SET", "k2", "v2"), r.command());
      }
      try (RawReplica r = new RawReplica(p.port())) {
        r.handshake(4323, false);
        assertEquals("+CONTINUE", r.psync(replid, offset + 1));
        assertEquals(List.of("SET", "k2", "v2"), r.command());
      }
      assertEquals("0", Repl.info(c, "stats", "sync_partial_err"));
      assertEquals("2", Repl.info(c, "stats", "sync_partial_ok"));
      assertEquals("1", Repl.info(c, "stats", "sync_full"));

      // a small backlog forgets the beginning; CONFIG SET resizes it (16kb at least)
      assertEquals("+OK\r\n", c.call("CONFIG", "SET", "repl-backlog-size", "1"));
      assertEquals("*2\r\n$17\r\nrepl-backlog-size\r\n$5\r\n16384\r\n", c.call("CONFIG", "GET", "repl-backlog-size"));
      assertEquals("16384", Repl.info(c, "replication", "repl_backlog_size"));
      byte[] pipeline = pipeline(2000, "fill", "x".repeat(20));
      c.sendRaw(pipeline);
      for (int i = 0; i < 2000; i++) c.readReply();
      long first = Repl.infoLong(c, "replication", "repl_backlog_first_byte_offset");
      assertTrue(first > offset + 1, "the backlog still starts at " + first);
      assertTrue(Repl.infoLong(c, "replication", "repl_backlog_histlen") >= 16384);
      assertBacklogConsistent(c);
      assertEquals("+OK\r\n", c.call("CONFIG", "SET", "repl-backlog-size", "1mb"));
      assertEquals("1048576", Repl.info(c, "replication", "repl_backlog_size"));
      long histBefore = Repl.infoLong(c, "replication", "repl_backlog_histlen");
      c.sendRaw(pipeline);
      for (int i = 0; i < 2000; i++) c.readReply();
      assertTrue(Repl.infoLong(c, "replication", "repl_backlog_histlen") > histBefore + 50_000, "not grown");
      assertBacklogConsistent(c);
      first = Repl.infoLong(c, "replication", "repl_backlog_first_byte_offset");
      long last = Repl.infoLong(c, "replication", "master_repl_offset");

      // outside the backlog, before or after it; another history: a full resync, counted as an error
      int errs = 0;
      for (String[] req : new String[][] {{replid, Long.toString(offset + 1)}, {replid, Long.toString(last + 2)},
          {"0123456789012345678901234567890123456789", Long.toString(first)}}) {
        try (RawReplica r = new RawReplica(p.port())) {
          r.handshake(4324, true);
          assertTrue(FULLRESYNC.matcher(r.psync(req[0], Long.parseLong(req[1]))).matches());
          r.readRdb();
          errs++;
          assertEquals(Integer.toString(errs), Repl.info(c, "stats", "sync_partial_err"));
        }
      }
      // the first byte of the backlog and the byte after its end are both still a partial resync
      for (long at : new long[] {first, last + 1}) {
        try (RawReplica r = new RawReplica(p.port())) {
          r.handshake(4325, true);
          assertEquals("+CONTINUE " + replid, r.psync(replid, at));
        }
      }
      assertEquals("4", Repl.info(c, "stats", "sync_partial_ok"));
      assertEquals("3", Repl.info(c, "stats", "sync_partial_err"));
    }
  }

  /** A replica is a client with flags=S; ROLE and INFO list it with its listening port and acknowledged offset. */
  @ParameterizedTest
  @ValueSource(strings = {Peer.VIREO, Peer.REDIS})
  void replicaInClientListRoleAndInfo(String kind) {
    try (Peer p = start(kind, "yes"); RawReplica r = new RawReplica(p.port())) {
      RespClient c = p.client();
      int listening = FreePort.get();
      r.handshake(listening, true);
      long offset = Long.parseLong(fullResync(r.psync("?", -1)).group(2));
      r.readRdb();
      r.ack(offset);
      Repl.until("the replica online", () -> Repl.info(c, "replication", "slave0").contains("state=online"));
      String list = c.call("CLIENT", "LIST", "TYPE", "replica");
      assertTrue(list.contains(" addr=127.0.0.1:" + r.localPort() + " "), list);
      assertTrue(list.contains(" flags=S "), list);
      assertEquals(1, list.split("id=").length - 1, list);
      assertTrue(c.call("CLIENT", "LIST").contains(" flags=S "));
      String normal = c.call("CLIENT", "LIST", "TYPE", "normal");
      assertTrue(!normal.contains(" flags=S "), normal);

      assertSlave0(c, "ip=127.0.0.1,port=" + listening + ",state=online,offset=" + offset);
      assertEquals("1", Repl.info(c, "replication", "connected_slaves"));
      String ackText = Long.toString(offset);
      String master = Repl.info(c, "replication", "master_repl_offset");
      assertEquals("*3\r\n$6\r\nmaster\r\n:" + master + "\r\n*1\r\n*3\r\n$9\r\n127.0.0.1\r\n$" + Integer.toString(listening)
          .length() + "\r\n" + listening + "\r\n$" + ackText.length() + "\r\n" + ackText + "\r\n", c.call("ROLE"));

      assertEquals(":1\r\n", c.call("CLIENT", "KILL", "TYPE", "replica"));
      assertTrue(r.closedByPeer(5000));
      Repl.until("the replica to be gone", () -> "0".equals(Repl.info(c, "replication", "connected_slaves")));
      assertEquals("*3\r\n$6\r\nmaster\r\n:" + Repl.info(c, "replication", "master_repl_offset") + "\r\n*0\r\n",
          c.call("ROLE"));

      // an announced address replaces the connection's in INFO and ROLE
      try (RawReplica announced = new RawReplica(p.port())) {
        assertEquals("+OK", announced.call("REPLCONF", "ip-address", "10.9.8.7"));
        announced.handshake(listening, true);
        long o = Long.parseLong(fullResync(announced.psync("?", -1)).group(2));
        announced.readRdb();
        announced.ack(o);
        assertSlave0(c, "ip=10.9.8.7,port=" + listening + ",state=online,offset=" + o);
        assertTrue(c.call("ROLE").contains("*3\r\n$8\r\n10.9.8.7\r\n$"), c.call("ROLE"));
      }
    }
  }

  /** min-replicas-to-write refuses writes until enough replicas acknowledge within min-replicas-max-lag. */
  @ParameterizedTest
  @ValueSource(strings = {Peer.VIREO, Peer.REDIS})
  void minReplicasToWrite(String kind) {
    try (Peer p = start(kind, "no"); RawReplica r = new RawReplica(p.port())) {
      RespClient c = p.client();
      assertEquals("+OK\r\n", c.call("CONFIG", "SET", "min-replicas-to-write", "1"));
      assertEquals("-NOREPLICAS Not enough good replicas to write.\r\n", c.call("SET", "k", "v"));
      assertEquals("$-1\r\n", c.call("GET", "k"));
      assertEquals("+OK\r\n", c.call("MULTI"));
      assertEquals("-NOREPLICAS Not enough good replicas to write.\r\n", c.call("SET", "k", "v"));
      assertEquals("-EXECABORT Transaction discarded because of previous errors.\r\n", c.call("EXEC"));
      assertEquals("0", Repl.info(c, "replication", "min_slaves_good_slaves"));

      r.handshake(4321, true);
      long offset = Long.parseLong(fullResync(r.psync("?", -1)).group(2));
      r.readRdb();
      r.ack(offset);
      Repl.until("a good replica", () -> "1".equals(Repl.info(c, "replication", "min_slaves_good_slaves")));
      assertEquals("+OK\r\n", c.call("SET", "k", "v"));
      assertEquals("+OK\r\n", c.call("CONFIG", "SET", "min-replicas-to-write", "2"));
      assertEquals("-NOREPLICAS Not enough good replicas to write.\r\n", c.call("SET", "k", "v"));
      assertEquals("+OK\r\n", c.call("CONFIG", "SET", "min-replicas-to-write", "0"));
      assertEquals(null, Repl.info(c, "replication", "min_slaves_good_slaves"));
      assertEquals("+OK\r\n", c.call("SET", "k", "v"));
    }
  }

  /** WAIT: argument errors, at once when enough replicas acknowledged, else after the timeout; refused on a replica. */
  @ParameterizedTest
  @ValueSource(strings = {Peer.VIREO, Peer.REDIS})
  void waitCommand(String kind) {
    try (Peer p = start(kind, "no"); RawReplica r = new RawReplica(p.port())) {
      RespClient c = p.client();
      assertEquals("-ERR timeout is negative\r\n", c.call("WAIT", "1", "-1"));
      assertEquals("-ERR timeout is not an integer or out of range\r\n", c.call("WAIT", "1", "soon"));
      assertEquals("-ERR value is not an integer or out of range\r\n", c.call("WAIT", "one", "0"));
      assertEquals(":0\r\n", c.call("WAIT", "0", "0"));
      assertEquals(":0\r\n", c.call("WAIT", "1", "100"));

      r.handshake(4321, true);
      long offset = Long.parseLong(fullResync(r.psync("?", -1)).group(2));
      r.readRdb();
      long start = r.bytesRead();
      c.call("SET", "k", "v");
      // WAIT asks the replica for an acknowledgement: REPLCONF GETACK * in the stream
      c.sendRaw(RespClient.encodeCommand("WAIT", "1", "10000"));
      List<String> cmd;
      do {
        cmd = r.command();
      } while (!cmd.get(0).equalsIgnoreCase("replconf"));
      assertEquals(List.of("REPLCONF", "GETACK", "*"), cmd);
      long processed = offset + r.bytesRead() - start;
      r.ack(processed);
      assertEquals(":1\r\n", c.readReply());
      // already acknowledged: at once
      assertEquals(":1\r\n", c.call("WAIT", "1", "0"));
      assertEquals(":1\r\n", c.call("WAIT", "2", "100"));
      c.call("SET", "k", "w");
      assertEquals(":0\r\n", c.call("WAIT", "1", "100"));
      assertEquals("+OK\r\n", c.call("MULTI"));
      assertEquals("+QUEUED\r\n", c.call("WAIT", "1", "0"));
      assertEquals("*1\r\n:0\r\n", c.call("EXEC"));

      int port = FreePort.get();
      assertEquals("+OK\r\n", c.call("REPLICAOF", "127.0.0.1", Integer.toString(port)));
      assertEquals("-ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a "
          + "replica is configured to be writable (which is not the default) writes to replicas are just local and "
          + "are not propagated.\r\n", c.call("WAIT", "1", "-1"));
      assertEquals("+OK\r\n", c.call("REPLICAOF", "NO", "ONE"));
    }
  }

  /** A master turned replica releases its blocked clients (WAIT, BLPOP) with an error and closes them. */
  @ParameterizedTest
  @ValueSource(strings = {Peer.VIREO, Peer.REDIS})
  void blockedClientsAreReleasedWhenTheMasterBecomesAReplica(String kind) {
    try (Peer p = start(kind, "no")) {
      RespClient c = p.client();
      RespClient waiting = p.client();
      RespClient popping = p.client();
      waiting.sendRaw(RespClient.encodeCommand("WAIT", "3", "0"));
      popping.sendRaw(RespClient.encodeCommand("BLPOP", "nothing", "0"));
      Repl.until("two blocked clients", () -> "2".equals(Repl.info(c, "clients", "blocked_clients")));
      assertEquals("+OK\r\n", c.call("REPLICAOF", "127.0.0.1", Integer.toString(FreePort.get())));
      String unblocked = "-UNBLOCKED force unblock from blocking operation, instance state changed (master -> "
          + "replica?)\r\n";
      assertEquals(unblocked, waiting.readReply());
      assertEquals(unblocked, popping.readReply());
      assertTrue(waiting.isClosedByPeer(Duration.ofSeconds(5)));
      assertTrue(popping.isClosedByPeer(Duration.ofSeconds(5)));
      assertEquals("+OK\r\n", c.call("REPLICAOF", "NO", "ONE"));
      assertEquals("0", Repl.info(c, "clients", "blocked_clients"));
    }
  }

  /** SYNC: no +FULLRESYNC, the RDB as $len to a replica without capa eof; rdb-only ends the connection after it. */
  @ParameterizedTest
  @ValueSource(strings = {Peer.VIREO, Peer.REDIS})
  void legacySyncAndRdbOnly(String kind) {
    try (Peer p = start(kind, "yes")) {
      RespClient c = p.client();
      c.call("SET", "k", "v");
      try (RawReplica r = new RawReplica(p.port())) {
        r.send("SYNC");
        RawReplica.Rdb rdb = r.readRdb();
        assertTrue(rdb.header().matches("\\$\\d+"), rdb.header());
        assertRdb(rdb.payload());
        c.call("SET", "k2", "v2");
        List<String> cmd;
        do {
          cmd = r.command();
        } while (!cmd.get(0).equalsIgnoreCase("set"));
        assertEquals(List.of("SET", "k2", "v2"), cmd);
      }
      try (RawReplica r = new RawReplica(p.port())) {
        assertEquals("+OK", r.call("REPLCONF", "capa", "eof"));
        assertEquals("+OK", r.call("REPLCONF", "rdb-only", "1"));
        r.sendRaw("SYNC\r\n".getBytes(StandardCharsets.US_ASCII));
        RawReplica.Rdb rdb = r.readRdb();
        assertTrue(rdb.diskless(), rdb.header());
        assertRdb(rdb.payload());
        assertTrue(r.closedByPeer(5000), "the connection stayed open after the RDB");
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private static Matcher fullResync(String line) {
    Matcher m = FULLRESYNC.matcher(line);
    assertTrue(m.matches(), line);
    return m;
  }

  /**
   * Waits for slave0 to show the acknowledged offset, then checks the whole line; the lag is about 0 (Redis computes
   * it from a cached clock and may show -1).
   */
  private static void assertSlave0(RespClient c, String expected) {
    Repl.until("slave0 " + expected, () -> String.valueOf(Repl.info(c, "replication", "slave0"))
        .startsWith(expected + ","));
    String line = Repl.info(c, "replication", "slave0");
    assertTrue(line.matches(Pattern.quote(expected) + ",lag=-?[01]"), line);
  }

  /** A version 10 RDB ending with EOF and a checksum. */
  private static void assertRdb(byte[] rdb) {
    assertEquals("REDIS0010", new String(rdb, 0, 9, StandardCharsets.US_ASCII));
    assertEquals((byte) 0xFF, rdb[rdb.length - 9], "EOF opcode before the checksum");
  }

  private static void assertBacklogConsistent(RespClient c) {
    String info = c.call("INFO", "replication");
    long last = Long.parseLong(Repl.field(info, "master_repl_offset"));
    long first = Long.parseLong(Repl.field(info, "repl_backlog_first_byte_offset"));
    long hist = Long.parseLong(Repl.field(info, "repl_backlog_histlen"));
    assertEquals(last, first + hist - 1, info);
  }

  private static byte[] pipeline(int n, String prefix, String value) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int i = 0; i < n; i++) b.writeBytes(RespClient.encodeCommand("SET", prefix + i, value));
    return b.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
