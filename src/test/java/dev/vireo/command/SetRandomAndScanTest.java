package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What Redis leaves to chance or to the table layout: random picks (count, distinctness, membership) and SSCAN
 * over a hashtable across many calls (every member seen, the walk ends at cursor 0).
 */
class SetRandomAndScanTest {
  /** The bulk strings of a flat reply (array or set), in order. */
  static List<String> bulks(String reply) {
    List<String> out = new ArrayList<>();
    int i = reply.indexOf("\r\n") + 2;
    while (i < reply.length()) {
      int eol = reply.indexOf("\r\n", i);
      if (reply.charAt(i) == '$') {
        int n = Integer.parseInt(reply.substring(i + 1, eol));
        out.add(reply.substring(eol + 2, eol + 2 + n));
        i = eol + 2 + n + 2;
      } else {
        i = eol + 2;
      }
    }
    return out;
  }

  /** Cursor and items of a SCAN-family reply. */
  static String cursorOf(String reply) {
    List<String> all = bulks(reply);
    return all.get(0);
  }

  private static void fill(RespClient r, String key, String prefix, int n) {
    List<String> args = new ArrayList<>(List.of("SADD", key));
    for (int i = 0; i < n; i++) args.add(prefix + i);
    assertEquals(":" + n + "\r\n", r.call(args.toArray(new String[0])));
  }

  @Test
  void srandmemberCounts() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      fill(r, "s", "m", 100);
      fill(r, "i", "", 100);
      for (String key : new String[] {"s", "i"}) {
        Set<String> all = new HashSet<>(bulks(r.call("SMEMBERS", key)));
        assertEquals(100, all.size());
        List<String> picks = bulks(r.call("SRANDMEMBER", key, "10"));
        assertEquals(10, picks.size());
        assertEquals(10, new HashSet<>(picks).size(), "positive count: distinct");
        assertTrue(all.containsAll(picks));
        List<String> repeats = bulks(r.call("SRANDMEMBER", key, "-300"));
        assertEquals(300, repeats.size());
        assertTrue(all.containsAll(repeats));
        assertTrue(new HashSet<>(repeats).size() < 300, "negative count repeats members");
        assertEquals(all, new HashSet<>(bulks(r.call("SRANDMEMBER", key, "100"))));
        assertEquals(100, bulks(r.call("SRANDMEMBER", key, "1000")).size());
        assertTrue(all.contains(bulks("*1\r\n" + r.call("SRANDMEMBER", key)).get(0)));
        assertEquals(":100\r\n", r.call("SCARD", key));
      }
      assertEquals("$6\r\nintset\r\n", r.call("OBJECT", "ENCODING", "i"));
      assertEquals("$9\r\nhashtable\r\n", r.call("OBJECT", "ENCODING", "s"));
    }
  }

  @Test
  void spopRemovesWhatItReturns() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      fill(r, "s", "m", 50);
      fill(r, "i", "", 50);
      for (String key : new String[] {"s", "i"}) {
        Set<String> left = new HashSet<>(bulks(r.call("SMEMBERS", key)));
        List<String> popped = bulks(r.call("SPOP", key, "20"));
        assertEquals(20, popped.size());
        assertEquals(20, new HashSet<>(popped).size());
        assertTrue(left.containsAll(popped));
        left.removeAll(popped);
        String one = bulks("*1\r\n" + r.call("SPOP", key)).get(0);
        assertTrue(left.remove(one));
        assertEquals(left, new HashSet<>(bulks(r.call("SMEMBERS", key))));
        assertEquals(29, bulks(r.call("SPOP", key, "29")).size());
        assertEquals(":0\r\n", r.call("EXISTS", key));
      }
    }
  }

  @Test
  void sscanWalksAHashtableCompletely() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      fill(r, "s", "member:", 1000);
      Set<String> seen = new HashSet<>();
      String cursor = "0";
      int calls = 0;
      do {
        String reply = r.call("SSCAN", "s", cursor, "COUNT", "20");
        List<String> items = bulks(reply);
        cursor = items.get(0);
        seen.addAll(items.subList(1, items.size()));
        if (calls == 3) r.call("SADD", "s", "late1", "late2", "late3"); // growth mid-walk loses nothing
        calls++;
      } while (!cursor.equals("0"));
      assertTrue(calls > 10, "a hashtable is walked in several calls");
      for (int i = 0; i < 1000; i++) assertTrue(seen.contains("member:" + i), "member:" + i);
      Set<String> matched = new HashSet<>();
      cursor = "0";
      do {
        List<String> items = bulks(r.call("SSCAN", "s", cursor, "MATCH", "member:99*", "COUNT", "50"));
        cursor = items.get(0);
        matched.addAll(items.subList(1, items.size()));
      } while (!cursor.equals("0"));
      assertEquals(Set.of("member:99", "member:990", "member:991", "member:992", "member:993", "member:994",
          "member:995", "member:996", "member:997", "member:998", "member:999"), matched);
    }
  }

  @Test
  void setAlgebraOnHashtables() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      fill(r, "a", "x", 300);
      fill(r, "b", "x", 200);
      r.call("SADD", "b", "only-b");
      assertEquals(200, bulks(r.call("SINTER", "a", "b")).size());
      assertEquals(301, bulks(r.call("SUNION", "a", "b")).size());
      Set<String> diff = new HashSet<>(bulks(r.call("SDIFF", "a", "b")));
      assertEquals(100, diff.size());
      assertTrue(diff.contains("x250") && !diff.contains("x5"));
      assertEquals(":200\r\n", r.call("SINTERCARD", "2", "a", "b"));
      assertEquals(":7\r\n", r.call("SINTERCARD", "2", "a", "b", "LIMIT", "7"));
      assertEquals(":301\r\n", r.call("SUNIONSTORE", "u", "a", "b"));
      assertEquals("$9\r\nhashtable\r\n", r.call("OBJECT", "ENCODING", "u"));
      assertEquals(":1\r\n", r.call("SDIFFSTORE", "d", "b", "a"));
      assertEquals("*1\r\n$6\r\nonly-b\r\n", r.call("SMEMBERS", "d"));
    }
  }

  @Test
  void sscanWithAHugeCountWalksEverything() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      fill(r, "s", "m", 300);
      List<String> items = bulks(r.call("SSCAN", "s", "0", "COUNT", "9223372036854775807"));
      assertEquals("0", items.get(0));
      assertEquals(300, new HashSet<>(items.subList(1, items.size())).size());
      items = bulks(r.call("SSCAN", "s", "0", "COUNT", "10"));
      assertTrue(items.size() - 1 >= 10);
    }
  }
}
