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
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The hashtable encoding of hashes and sets where Redis leaves the order open: SCAN's guarantee (every member
 * present for the whole walk is returned) while the table grows and shrinks between calls, uniform random picks,
 * and SPOP down to an empty key. And the packed listpack's accounting: MEMORY USAGE after updates in place equals
 * that of the same contents written once.
 */
class HashSetTableTest {
  private static void add(RespClient r, String cmd, String key, String prefix, int from, int to) {
    List<String> args = new ArrayList<>(List.of(cmd, key));
    for (int i = from; i < to; i++) {
      args.add(prefix + i);
      if (cmd.equals("HSET")) args.add("value-of-" + prefix + i);
    }
    assertEquals(":" + (to - from) + "\r\n", r.call(args.toArray(new String[0])));
  }

  private static void remove(RespClient r, String cmd, String key, String prefix, int from, int to) {
    List<String> args = new ArrayList<>(List.of(cmd, key));
    for (int i = from; i < to; i++) args.add(prefix + i);
    assertEquals(":" + (to - from) + "\r\n", r.call(args.toArray(new String[0])));
  }

  @Test
  void scanReturnsEveryStayingMemberWhileTheTableGrowsAndShrinks() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      for (String[] kind : new String[][] {{"SADD", "SREM", "SSCAN"}, {"HSET", "HDEL", "HSCAN"}}) {
        String key = "k-" + kind[0];
        add(r, kind[0], key, "stay", 0, 1500);
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        int call = 0;
        do {
          List<String> items = bulks(r.call(kind[2], key, cursor, "COUNT", "20"));
          cursor = items.get(0);
          for (int i = 1; i < items.size(); i += kind[0].equals("HSET") ? 2 : 1) seen.add(items.get(i));
          if (call < 8) add(r, kind[0], key, "grow" + call + "-", 0, 1500); // doubles the table, more than once
          if (call == 8) for (int c = 0; c < 8; c++) remove(r, kind[1], key, "grow" + c + "-", 0, 1500);
          call++;
        } while (!cursor.equals("0"));
        for (int i = 0; i < 1500; i++) assertTrue(seen.contains("stay" + i), kind[2] + " missed stay" + i);
        assertEquals("$9\r\nhashtable\r\n", r.call("OBJECT", "ENCODING", key));
      }
    }
  }

  @Test
  void randomPicksAreUniform() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      add(r, "SADD", "s", "m", 0, 20);
      add(r, "HSET", "h", "f", 0, 600);
      assertEquals("$9\r\nhashtable\r\n", r.call("OBJECT", "ENCODING", "s"));
      assertEquals("$9\r\nhashtable\r\n", r.call("OBJECT", "ENCODING", "h"));
      // 20000 and 60000 picks: 1000 expected per member (sd 31), 100 per field (sd 10); bounds 9 sd away
      Map<String, Integer> members = new HashMap<>();
      for (String m : bulks(r.call("SRANDMEMBER", "s", "-20000"))) members.merge(m, 1, Integer::sum);
      assertEquals(20, members.size());
      for (int c : members.values()) assertTrue(c > 720 && c < 1280, members.toString());
      Map<String, Integer> fields = new HashMap<>();
      List<String> pairs = bulks(r.call("HRANDFIELD", "h", "-60000", "WITHVALUES"));
      for (int i = 0; i < pairs.size(); i += 2) {
        assertEquals("value-of-" + pairs.get(i), pairs.get(i + 1));
        fields.merge(pairs.get(i), 1, Integer::sum);
      }
      assertEquals(600, fields.size());
      for (int c : fields.values()) assertTrue(c > 10 && c < 190, fields.toString());
    }
  }

  @Test
  void spopAndSremEmptyAHashtable() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      add(r, "SADD", "s", "m", 0, 1000);
      Set<String> popped = new HashSet<>();
      for (int i = 0; i < 100; i++) {
        String reply = r.call("SPOP", "s");
        assertTrue(popped.add(bulks("*1\r\n" + reply).get(0)), reply);
      }
      List<String> some = bulks(r.call("SPOP", "s", "850"));
      assertEquals(850, some.size());
      popped.addAll(some);
      assertEquals(950, popped.size());
      assertEquals(":50\r\n", r.call("SCARD", "s"));
      for (String m : bulks(r.call("SMEMBERS", "s"))) {
        assertTrue(popped.add(m), m);
        assertEquals(":1\r\n", r.call("SREM", "s", m));
      }
      assertEquals(1000, popped.size());
      assertEquals(":0\r\n", r.call("EXISTS", "s"));
    }
  }

  @Test
  void listpackMemoryUsageFollowsItsContents() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      // values of one length but not one cost in Redis's layout (a 7-bit int, a 13-bit int, a string), so that
      // updates in place change the entries' bytes, which swing around a one-byte header count
      String[] values = {"abc", "127", "128", "zzz", "-12"};
      for (int round = 0; round < 30; round++) {
        List<String> args = new ArrayList<>(List.of("HSET", "h"));
        List<String> fresh = new ArrayList<>(List.of("HSET", "fresh"));
        for (int f = 0; f < 40; f++) {
          String v = f < 16 ? values[(f * round + round) % values.length] : Integer.toString((f + round) % 3);
          args.add("f" + f);
          args.add(v);
          fresh.add("f" + f);
          fresh.add(v);
        }
        r.call(args.toArray(new String[0])); // updates (after round 0), in place when lengths match
        r.call("DEL", "fresh");
        r.call(fresh.toArray(new String[0]));
        assertEquals("$8\r\nlistpack\r\n", r.call("OBJECT", "ENCODING", "h"));
        assertEquals(r.call("HGETALL", "fresh"), r.call("HGETALL", "h"));
        String fresh5 = r.call("MEMORY", "USAGE", "fresh");
        String h5 = r.call("MEMORY", "USAGE", "h");
        // the names differ by four bytes, within the same sds size class
        assertEquals(fresh5, h5, "round " + round);
      }
      r.call("HDEL", "h", "f3", "f0", "f39");
      r.call("HDEL", "fresh", "f3", "f0", "f39");
      assertEquals(r.call("MEMORY", "USAGE", "fresh"), r.call("MEMORY", "USAGE", "h"));
    }
  }
}
