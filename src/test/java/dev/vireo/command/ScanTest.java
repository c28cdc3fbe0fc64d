package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.ReferenceServer;
import dev.vireo.testkit.RespClient;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SCAN over the wire: every key present for the whole iteration comes back at least once, however the keyspace
 * grows or shrinks between calls; MATCH, COUNT and TYPE filter as Redis 7.0 does. {@code -Dvireo.reference=redis}
 * runs it against redis-server.
 */
class ScanTest {
  private static ReferenceServer server;
  private static RespClient r;

  @BeforeAll
  static void start() {
    server = ReferenceServer.start();
    r = server.client();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @BeforeEach
  void flush() {
    assertEquals("+OK\r\n", r.call("FLUSHALL"));
    assertEquals("+OK\r\n", r.call("SELECT", "0"));
    assertEquals("+OK\r\n", r.call("DEBUG", "SET-ACTIVE-EXPIRE", "1"));
  }

  /** Runs commands pipelined and checks each reply. */
  private static void pipeline(String expectedReply, List<String[]> commands) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String[] c : commands) out.writeBytes(RespClient.encodeCommand(c));
    r.sendRaw(out.toByteArray());
    for (String[] c : commands) assertEquals(expectedReply, r.readReply(), () -> String.join(" ", c));
  }

  private static void set(String prefix, int from, int to) {
    List<String[]> cmds = new ArrayList<>();
    for (int i = from; i < to; i++) cmds.add(new String[] {"SET", prefix + i, "v"});
    pipeline("+OK\r\n", cmds);
  }

  private static void del(String prefix, int from, int to) {
    List<String[]> cmds = new ArrayList<>();
    for (int i = from; i < to; i++) cmds.add(new String[] {"DEL", prefix + i});
    pipeline(":1\r\n", cmds);
  }

  /** One SCAN call: the next cursor first, then the keys. */
  private static List<String> scan(String... args) {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "SCAN";
    System.arraycopy(args, 0, cmd, 1, args.length);
    return KeyCommandsTest.bulks(r.call(cmd));
  }

  private static Set<String> stableSet(String prefix, int n) {
    Set<String> s = new HashSet<>();
    for (int i = 0; i < n; i++) s.add(prefix + i);
    return s;
  }

  @Test
  void everyStableKeyIsReturnedWhileTheKeyspaceGrows() {
    set("stable:", 0, 300);
    Set<String> seen = new HashSet<>();
    String cursor = "0";
    int added = 0;
    do {
      List<String> step = scan(cursor, "COUNT", "20");
      cursor = step.get(0);
      seen.addAll(step.subList(1, step.size()));
      set("grow:", added, added + 150);
      added += 150;
    } while (!cursor.equals("0"));
    assertTrue(seen.containsAll(stableSet("stable:", 300)));
  }

  @Test
  void everyStableKeyIsReturnedWhileTheKeyspaceShrinks() {
    set("stable:", 0, 100);
    set("gone:", 0, 5000);
    Set<String> seen = new HashSet<>();
    String cursor = "0";
    int removed = 0;
    do {
      List<String> step = scan(cursor, "COUNT", "50");
      cursor = step.get(0);
      seen.addAll(step.subList(1, step.size()));
      int n = Math.min(500, 5000 - removed);
      del("gone:", removed, removed + n);
      removed += n;
    } while (!cursor.equals("0"));
    assertTrue(seen.containsAll(stableSet("stable:", 100)));
  }

  @Test
  void everyStableKeyIsReturnedUnderRandomChurn() {
    Random rnd = new Random(7);
    set("stable:", 0, 200);
    Set<String> seen = new HashSet<>();
    String cursor = "0";
    int churn = 0;
    do {
      List<String> step = scan(cursor, "COUNT", Integer.toString(1 + rnd.nextInt(40)));
      cursor = step.get(0);
      seen.addAll(step.subList(1, step.size()));
      if (churn > 0 && rnd.nextBoolean()) {
        del("churn:", 0, churn);
        churn = 0;
      } else {
        int n = rnd.nextInt(1500);
        set("churn:", churn, churn + n);
        churn += n;
      }
    } while (!cursor.equals("0"));
    assertTrue(seen.containsAll(stableSet("stable:", 200)));
  }

  @Test
  void matchTypeAndCount() {
    set("user:", 0, 100);
    set("item:", 0, 100);
    List<String> all = scan("0", "COUNT", "100000");
    assertEquals("0", all.get(0));
    assertEquals(200, all.size() - 1);
    List<String> users = scan("0", "MATCH", "user:*", "COUNT", "100000");
    assertEquals(101, users.size());
    assertTrue(users.subList(1, users.size()).stream().allMatch(k -> k.startsWith("user:")));
    assertEquals(201, scan("0", "TYPE", "STRING", "COUNT", "100000").size());
    assertEquals(List.of("0"), scan("0", "TYPE", "hash", "COUNT", "100000"));
    assertEquals(List.of("0"), scan("0", "TYPE", "nosuchtype", "COUNT", "100000"));
    assertEquals(List.of("0"), scan("0", "MATCH", "nomatch", "COUNT", "100000"));
    // Options may repeat; the last one counts.
    assertEquals(101, scan("0", "MATCH", "x*", "MATCH", "item:*", "COUNT", "1", "COUNT", "100000").size());
    assertEquals("+OK\r\n", r.call("SELECT", "1"));
    assertEquals(List.of("0"), scan("0"));
  }

  @Test
  void expiredKeysAreNotReturned() {
    assertEquals("+OK\r\n", r.call("DEBUG", "SET-ACTIVE-EXPIRE", "0"));
    set("live:", 0, 10);
    List<String[]> cmds = new ArrayList<>();
    for (int i = 0; i < 10; i++) cmds.add(new String[] {"SET", "dying:" + i, "v", "PX", "1"});
    pipeline("+OK\r\n", cmds);
    long deadline = System.currentTimeMillis() + 20;
    while (System.currentTimeMillis() < deadline) Thread.onSpinWait();
    assertEquals(":20\r\n", r.call("DBSIZE"));
    List<String> step = scan("0", "COUNT", "1000");
    assertEquals(Set.copyOf(stableSet("live:", 10)), Set.copyOf(step.subList(1, step.size())));
    // SCAN removed what it found expired.
    assertEquals(":10\r\n", r.call("DBSIZE"));
  }
}
