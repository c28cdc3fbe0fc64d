package dev.vireo.replication.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.vireo.testkit.Datasets;
import dev.vireo.testkit.Replicas;
import dev.vireo.testkit.RespClient;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Chained replication, top → middle → bottom, plus a sibling of the middle: one history (same replid, same
 * offsets) down the chain; promoting the middle with REPLICAOF NO ONE keeps the old id as replid2, so the bottom and
 * the sibling that turns to it continue with partial resynchronizations. All nodes Vireo; all real Redis (the
 * reference); and a Vireo middle between real Redis nodes.
 */
@Timeout(90)
class ChainIT {
  @ParameterizedTest(name = "top {0}, middle {1}, bottom {2}, sibling {3}")
  @CsvSource({"vireo,vireo,vireo,vireo", "redis,redis,redis,redis", "redis,vireo,redis,redis"})
  void chainPromotionAndSiblingPartialResync(String topKind, String midKind, String bottomKind, String sibKind) {
    try (Peer top = start(topKind); Peer mid = start(midKind); Peer bottom = start(bottomKind);
        Peer sibling = start(sibKind)) {
      RespClient t = top.client();
      RespClient m = mid.client();
      RespClient b = bottom.client();
      RespClient s = sibling.client();
      Datasets.fillEveryType(t);
      assertEquals("+OK\r\n", m.call("REPLICAOF", "127.0.0.1", Integer.toString(top.port())));
      assertEquals("+OK\r\n", b.call("REPLICAOF", "127.0.0.1", Integer.toString(mid.port())));
      assertEquals("+OK\r\n", s.call("REPLICAOF", "127.0.0.1", Integer.toString(top.port())));
      Replicas.awaitLinkUp(m);
      Replicas.awaitLinkUp(b);
      Replicas.awaitLinkUp(s);
      Replicas.awaitSameDigest(t, b);
      Replicas.awaitSameDigest(t, s);

      // writes on the top reach the bottom, through the middle
      RealReplicaIT.streamEveryType(t, "chain");
      Replicas.awaitSameDigest(t, b);
      assertEquals(":2\r\n", t.call("WAIT", "2", "5000"));

      // the bottom's link drops: it continues from the middle's backlog, which holds the top's bytes
      long midPartial = Repl.infoLong(m, "stats", "sync_partial_ok");
      assertEquals(":1\r\n", b.call("CLIENT", "KILL", "TYPE", "master"));
      RealReplicaIT.streamEveryType(t, "gap");
      Repl.until("a partial resynchronization on the middle",
          () -> Repl.infoLong(m, "stats", "sync_partial_ok") == midPartial + 1);
      Replicas.awaitSameDigest(t, b);
      // a replica that joins the middle while the top's stream is in db 2: its RDB says which database the stream
      // that follows it (with no SELECT of its own) is in
      t.call("SELECT", "2");
      t.call("SET", "db2", "before");
      Replicas.awaitSameDigest(t, m);
      try (Peer late = start(bottomKind)) {
        RespClient l = late.client();
        assertEquals("+OK\r\n", l.call("REPLICAOF", "127.0.0.1", Integer.toString(mid.port())));
        Replicas.awaitLinkUp(l);
        t.call("SET", "db2", "after");
        t.call("SADD", "db2-set", "a");
        Replicas.awaitSameDigest(t, l);
        l.call("SELECT", "2");
        assertEquals("$5\r\nafter\r\n", l.call("GET", "db2"));
      }
      t.call("SELECT", "0");
      t.call("SET", "settle", "1");
      Repl.awaitSameOffset(t, m);
      Repl.awaitSameOffset(t, s);
      // the bottom follows the middle's offset, which is the top's
      Repl.awaitSameOffset(m, b);
      String replid = Repl.info(t, "replication", "master_replid");
      String offset = Repl.info(t, "replication", "master_repl_offset");
      for (RespClient c : new RespClient[] {m, b, s}) {
        assertEquals(replid, Repl.info(c, "replication", "master_replid"));
        assertEquals(offset, Repl.info(c, "replication", "master_repl_offset"));
      }
      assertEquals("1", Repl.info(m, "replication", "connected_slaves"));
      assertEquals("2", Repl.info(t, "replication", "connected_slaves"));
      assertEquals("2", Repl.info(m, "stats", "sync_full"));
      // (a node told REPLICAOF first asks to continue its own history: refused, counted in sync_partial_err)
      long partialBefore = Repl.infoLong(m, "stats", "sync_partial_ok");
      long errBefore = Repl.infoLong(m, "stats", "sync_partial_err");

      // the middle becomes a master: a new id, the old one second, valid up to the offset it had
      assertEquals("+OK\r\n", m.call("REPLICAOF", "NO", "ONE"));
      assertEquals("master", Repl.info(m, "replication", "role"));
      String newId = Repl.info(m, "replication", "master_replid");
      assertNotEquals(replid, newId);
      assertEquals(replid, Repl.info(m, "replication", "master_replid2"));
      assertEquals(Long.toString(Long.parseLong(offset) + 1), Repl.info(m, "replication", "second_repl_offset"));

      // its replica and its former sibling continue from the shared history: partial resynchronizations
      assertEquals("+OK\r\n", s.call("REPLICAOF", "127.0.0.1", Integer.toString(mid.port())));
      Repl.until("two partial resynchronizations on the promoted node",
          () -> Repl.infoLong(m, "stats", "sync_partial_ok") == partialBefore + 2);
      Replicas.awaitLinkUp(s);
      Replicas.awaitLinkUp(b);
      assertEquals("2", Repl.info(m, "stats", "sync_full"));
      assertEquals(errBefore, Repl.infoLong(m, "stats", "sync_partial_err"));
      Repl.equal("the sibling's replid", newId, () -> Repl.info(s, "replication", "master_replid"));
      Repl.equal("the bottom's replid", newId, () -> Repl.info(b, "replication", "master_replid"));
      assertEquals(replid, Repl.info(s, "replication", "master_replid2"));

      // and follow its writes
      RealReplicaIT.streamEveryType(m, "promoted");
      Replicas.awaitSameDigest(m, b);
      Replicas.awaitSameDigest(m, s);
      assertEquals(":2\r\n", m.call("WAIT", "2", "5000"));
      Repl.awaitSameOffset(m, b);
      Repl.awaitSameOffset(m, s);
      assertEquals("2", Repl.info(m, "replication", "connected_slaves"));
      // the old top lost nobody but the middle
      assertEquals("0", Repl.info(t, "replication", "connected_slaves"));
      if (mid.isVireo()) {
        mid.awaitLog("Partial resynchronization request from 127.0.0.1:" + sibling.port() + " accepted.");
      }
    }
  }

  /** No PING in the streams while the test runs, so that an offset read on one node can be compared on another. */
  private static Peer start(String kind) {
    return Peer.start(kind, "--repl-diskless-sync-delay", "0", "--repl-ping-replica-period", "3600");
  }
}
