package dev.vireo.command;

import static dev.vireo.command.SetRandomAndScanTest.bulks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HRANDFIELD picks and HSCAN over a hashtable-encoded hash, where Redis defines no order. */
class HashRandomAndScanTest {
  private static Map<String, String> fill(RespClient r, String key, int n) {
    List<String> args = new ArrayList<>(List.of("HSET", key));
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < n; i++) {
      args.add("field:" + i);
      args.add("value:" + i);
      m.put("field:" + i, "value:" + i);
    }
    assertEquals(":" + n + "\r\n", r.call(args.toArray(new String[0])));
    return m;
  }

  @Test
  void hrandfieldCountsAndPairs() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      for (int size : new int[] {20, 600}) {
        String key = "h" + size;
        Map<String, String> m = fill(r, key, size);
        List<String> picks = bulks(r.call("HRANDFIELD", key, "10"));
        assertEquals(10, new HashSet<>(picks).size());
        assertTrue(m.keySet().containsAll(picks));
        List<String> pairs = bulks(r.call("HRANDFIELD", key, "-50", "WITHVALUES"));
        assertEquals(100, pairs.size());
        for (int i = 0; i < pairs.size(); i += 2) assertEquals(m.get(pairs.get(i)), pairs.get(i + 1));
        assertEquals(m.keySet(), new HashSet<>(bulks(r.call("HRANDFIELD", key, "100000"))));
        assertTrue(m.containsKey(bulks("*1\r\n" + r.call("HRANDFIELD", key)).get(0)));
      }
      assertEquals("$8\r\nlistpack\r\n", r.call("OBJECT", "ENCODING", "h20"));
      assertEquals("$9\r\nhashtable\r\n", r.call("OBJECT", "ENCODING", "h600"));
      r.call("HELLO", "3");
      String reply = r.call("HRANDFIELD", "h600", "3", "WITHVALUES");
      assertTrue(reply.startsWith("*3\r\n*2\r\n$"), reply);
    }
  }

  @Test
  void hscanWalksAHashtable() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      Map<String, String> m = fill(r, "h", 1000);
      Map<String, String> seen = new HashMap<>();
      String cursor = "0";
      int calls = 0;
      do {
        List<String> items = bulks(r.call("HSCAN", "h", cursor, "COUNT", "30"));
        cursor = items.get(0);
        for (int i = 1; i < items.size(); i += 2) seen.put(items.get(i), items.get(i + 1));
        if (calls == 2) r.call("HDEL", "h", "gone"); // no-op writes between calls are harmless
        calls++;
      } while (!cursor.equals("0"));
      assertTrue(calls > 10);
      assertEquals(m, seen);
      assertEquals("$9\r\nhashtable\r\n", r.call("OBJECT", "ENCODING", "h"));
      assertEquals(":1000\r\n", r.call("HLEN", "h"));
      assertEquals("$9\r\nvalue:500\r\n", r.call("HGET", "h", "field:500"));
    }
  }

  @Test
  void hscanCountIsInFieldsAndAHugeCountWalksEverything() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      Map<String, String> m = fill(r, "h", 300);
      List<String> items = bulks(r.call("HSCAN", "h", "0", "COUNT", "10"));
      assertTrue((items.size() - 1) / 2 >= 10, "COUNT counts fields, not fields and values: " + items.size());
      items = bulks(r.call("HSCAN", "h", "0", "COUNT", "9223372036854775807"));
      assertEquals("0", items.get(0));
      assertEquals(600, items.size() - 1);
      assertEquals(m.size(), new HashSet<>(items.subList(1, items.size())).size() / 2);
    }
  }
}
