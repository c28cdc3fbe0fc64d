package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.VireoNode;
import dev.vireo.server.RespServerVerticle;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PFADD, PFCOUNT, PFMERGE: replies and stored bytes compared with those of Redis 7.0.15. */
class HllCommandsTest {
  private static TestNode node;

  /** An empty sparse HLL with its cached cardinality marked stale, as PFADD of a new key leaves it. */
  private static final String EMPTY = "HYLL\u0001\0\0\0\0\0\0\0\0\0\0\u0080\u007f\u00ff";
  /** PFADD k a b c. */
  private static final String ABC = "HYLL\u0001\0\0\0\0\0\0\0\0\0\0\u0080\u0060\u00f3\u0080P\u00b1\u0084K\u00fb\u0080BZ";
  private static final String NOT_HLL = "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n";
  private static final String WRONGTYPE = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
  private static final String CORRUPT = "-INVALIDOBJ Corrupted HLL object detected\r\n";

  @BeforeAll
  static void start() {
    node = TestNode.start();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @BeforeEach
  void flush() {
    try (RespClient r = node.client()) {
      r.call("FLUSHALL");
    }
  }

  private static String bulk(String latin1) {
    return "$" + latin1.length() + "\r\n" + latin1 + "\r\n";
  }

  private static byte[] l1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String set(RespClient r, String key, String latin1) {
    return new String(r.callBytes(l1("SET"), l1(key), l1(latin1)), StandardCharsets.ISO_8859_1);
  }

  @Test
  void pfaddCreatesASparseString() {
    try (RespClient r = node.client()) {
      assertEquals(":1\r\n", r.call("PFADD", "e"));
      assertEquals(bulk(EMPTY), r.call("GET", "e"));
      assertEquals("+string\r\n", r.call("TYPE", "e"));
      assertEquals("$3\r\nraw\r\n", r.call("OBJECT", "ENCODING", "e"));
      assertEquals(":0\r\n", r.call("PFADD", "e"));
      assertEquals(":1\r\n", r.call("PFADD", "k", "a", "b", "c"));
      assertEquals(bulk(ABC), r.call("GET", "k"));
      assertEquals(":0\r\n", r.call("PFADD", "k", "a"));
      assertEquals(":0\r\n", r.call("PFADD", "k"));
      assertEquals(":1\r\n", r.call("PFADD", "k", "a", "d"));
    }
  }

  @Test
  void pfcountCachesTheCardinality() {
    try (RespClient r = node.client()) {
      assertEquals(":0\r\n", r.call("PFCOUNT", "missing"));
      r.call("PFADD", "k", "a", "b", "c");
      assertEquals(":3\r\n", r.call("PFCOUNT", "k"));
      assertEquals(bulk("HYLL\u0001\0\0\0\u0003\0\0\0\0\0\0\0" + ABC.substring(16)), r.call("GET", "k"));
      assertEquals(":3\r\n", r.call("PFCOUNT", "k"));
      // The cache is trusted as stored.
      assertEquals("+OK\r\n", set(r, "c", "HYLL\u0001\0\0\0\u0007\0\0\0\0\0\0\0\u007f\u00ff"));
      assertEquals("$6\r\nembstr\r\n", r.call("OBJECT", "ENCODING", "c"));
      assertEquals(":7\r\n", r.call("PFCOUNT", "c"));
      assertEquals("$3\r\nraw\r\n", r.call("OBJECT", "ENCODING", "c"));
      assertEquals(":3\r\n", r.call("PFCOUNT", "k", "c", "missing"));
      r.call("HELLO", "3");
      assertEquals(":3\r\n", r.call("PFCOUNT", "k"));
    }
  }

  @Test
  void pfmergeCreatesTheDestination() {
    try (RespClient r = node.client()) {
      r.call("PFADD", "k", "a", "b", "c");
      r.call("PFADD", "e");
      assertEquals("+OK\r\n", r.call("PFMERGE", "m", "k", "e"));
      assertEquals(bulk(ABC), r.call("GET", "m"));
      assertEquals("+OK\r\n", r.call("PFMERGE", "m2"));
      assertEquals(bulk(EMPTY), r.call("GET", "m2"));
      assertEquals(":3\r\n", r.call("PFCOUNT", "m"));
      r.call("PFADD", "x", "d", "e");
      assertEquals("+OK\r\n", r.call("PFMERGE", "m", "x"));
      assertEquals(":5\r\n", r.call("PFCOUNT", "m"));
      assertEquals(":5\r\n", r.call("PFCOUNT", "k", "x"));
    }
  }

  @Test
  void promotionToDense() {
    try (RespClient r = node.client()) {
      String[] args = new String[2 + 5000];
      args[0] = "PFADD";
      args[1] = "big";
      for (int i = 0; i < 5000; i++) args[2 + i] = "element:" + i;
      assertEquals(":1\r\n", r.call(args));
      assertEquals(":5005\r\n", r.call("PFCOUNT", "big"));
      assertEquals(":12304\r\n", r.call("STRLEN", "big"));
      r.call("PFADD", "small", "a");
      // A dense source makes the destination dense.
      assertEquals("+OK\r\n", r.call("PFMERGE", "small", "big"));
      assertEquals(":12304\r\n", r.call("STRLEN", "small"));
      assertEquals(":5006\r\n", r.call("PFCOUNT", "small"));
      // A smaller sparse limit promotes sooner.
      r.call("CONFIG", "SET", "hll-sparse-max-bytes", "30");
      r.call("PFADD", "s", "1", "2", "3", "4", "5", "6");
      assertEquals(":12304\r\n", r.call("STRLEN", "s"));
      r.call("CONFIG", "SET", "hll-sparse-max-bytes", "3000");
    }
  }

  @Test
  void pfdebug() {
    try (RespClient r = node.client()) {
      r.call("PFADD", "h", "a", "b", "c");
      r.call("SET", "s", "hello");
      assertEquals("$44\r\nZ:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603\r\n", r.call("PFDEBUG", "DECODE", "h"));
      assertEquals("+sparse\r\n", r.call("PFDEBUG", "ENCODING", "h"));
      assertEquals(":1\r\n", r.call("PFDEBUG", "TODENSE", "h"));
      assertEquals(":0\r\n", r.call("PFDEBUG", "TODENSE", "h"));
      assertEquals("+dense\r\n", r.call("PFDEBUG", "encoding", "h"));
      assertEquals(":12304\r\n", r.call("STRLEN", "h"));
      assertEquals(":3\r\n", r.call("PFCOUNT", "h"));
      assertEquals("-ERR HLL encoding is not sparse\r\n", r.call("PFDEBUG", "DECODE", "h"));
      String regs = r.call("PFDEBUG", "GETREG", "h");
      assertEquals(true, regs.startsWith("*16384\r\n:0\r\n"));
      assertEquals(16384 - 3, regs.split(":0\r\n", -1).length - 1);
      r.call("PFADD", "e");
      assertEquals("$7\r\nZ:16384\r\n", r.call("PFDEBUG", "DECODE", "e"));
      assertEquals("-ERR The specified key does not exist\r\n", r.call("PFDEBUG", "foo", "nokey"));
      assertEquals(NOT_HLL, r.call("PFDEBUG", "foo", "s"));
      assertEquals("-ERR Unknown PFDEBUG subcommand 'foo'\r\n", r.call("PFDEBUG", "foo", "h"));
      String arity = "-ERR wrong number of arguments for 'pfdebug' command\r\n";
      assertEquals(arity, r.call("PFDEBUG", "foo", "nokey", "extra"));
      assertEquals(arity, r.call("PFDEBUG", "getreg", "h", "x"));
      assertEquals(arity, r.call("PFDEBUG", "getreg"));
    }
  }

  @Test
  void errors() {
    try (RespClient r = node.client()) {
      r.call("PFADD", "k", "a");
      r.call("SET", "s", "hello");
      assertEquals(NOT_HLL, r.call("PFADD", "s", "a"));
      assertEquals(NOT_HLL, r.call("PFCOUNT", "s"));
      assertEquals(NOT_HLL, r.call("PFCOUNT", "k", "s"));
      assertEquals(NOT_HLL, r.call("PFMERGE", "s", "k"));
      assertEquals(NOT_HLL, r.call("PFMERGE", "m", "s"));
      assertEquals(":0\r\n", r.call("EXISTS", "m"));
      r.call("SET", "n", "100");
      assertEquals(NOT_HLL, r.call("PFCOUNT", "n"));
      // Dense with the wrong length, unknown encoding.
      set(r, "d", "HYLL\0\0\0\0\0\0\0\0\0\0\0\u0080\u007f\u00ff");
      assertEquals(NOT_HLL, r.call("PFCOUNT", "d"));
      set(r, "d", "HYLL\u0002\0\0\0\0\0\0\0\0\0\0\u0080\u007f\u00ff");
      assertEquals(NOT_HLL, r.call("PFCOUNT", "d"));
      // Sparse registers that do not add up to 16384.
      set(r, "bad", "HYLL\u0001\0\0\0\0\0\0\0\0\0\0\u0080\u007f\u00fe");
      assertEquals(CORRUPT, r.call("PFCOUNT", "bad"));
      assertEquals(":1\r\n", r.call("PFADD", "bad", "a"));
      assertEquals(bulk("HYLL\u0001\0\0\0\0\0\0\0\0\0\0\u0080q\u00a6\u0084NV"), r.call("GET", "bad"));
      assertEquals(CORRUPT, r.call("PFCOUNT", "bad", "k"));
      assertEquals(CORRUPT, r.call("PFMERGE", "zz", "bad"));
      assertEquals(":0\r\n", r.call("EXISTS", "zz"));
      assertEquals("-ERR wrong number of arguments for 'pfadd' command\r\n", r.call("PFADD"));
      assertEquals("-ERR wrong number of arguments for 'pfcount' command\r\n", r.call("PFCOUNT"));
      assertEquals("-ERR wrong number of arguments for 'pfmerge' command\r\n", r.call("PFMERGE"));
    }
  }

  @Test
  void otherTypesAreWrongType() throws Exception {
    try (RespClient r = node.client()) {
      r.call("PFADD", "k", "a");
      // Any non-string value: a stand-in list.
      putList("l");
      assertEquals(WRONGTYPE, r.call("PFADD", "l", "a"));
      assertEquals(WRONGTYPE, r.call("PFCOUNT", "l"));
      assertEquals(WRONGTYPE, r.call("PFCOUNT", "k", "l"));
      assertEquals(WRONGTYPE, r.call("PFMERGE", "l"));
    }
  }

  private static void putList(String key) throws Exception {
    Field f = VireoNode.class.getDeclaredField("resp");
    f.setAccessible(true);
    RespServerVerticle resp = (RespServerVerticle) f.get(node.node());
    CompletableFuture<Void> done = new CompletableFuture<>();
    resp.dataContext().runOnContext(x -> {
      node.node().server().keyspace().db(0).add(key.getBytes(StandardCharsets.UTF_8),
          new SortCommandsTest.Seq("list", "a"));
      done.complete(null);
    });
    done.get(10, TimeUnit.SECONDS);
  }
}
