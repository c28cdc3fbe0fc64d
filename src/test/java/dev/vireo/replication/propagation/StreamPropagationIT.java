package dev.vireo.replication.propagation;

import dev.vireo.replication.propagation.PropagationStreamIT.Case;
import dev.vireo.replication.propagation.PropagationStreamIT.Master;
import dev.vireo.replication.propagation.PropagationStreamIT.Session;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.TestNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What a master sends its replicas for stream commands, compared with what a real redis-server 7.0 master sends
 * for the same script: XADD with the ID it assigned, approximate trims rewritten as exact ones, XREADGROUP as one
 * {@code XCLAIM} per delivered entry plus {@code XGROUP SETID}, consumers created by a NOACK read, XCLAIM and
 * XAUTOCLAIM (deleted entries too), blocked readers served later, MULTI/EXEC and EVAL.
 *
 * <p>Both masters run with {@code stream-node-max-entries 3}, so approximate trims remove whole nodes after a few
 * entries. Each command of the stream is compared argument by argument, each argument byte for byte (the stream is
 * read as RESP arrays of bulk strings, whose encoding is fixed by the arguments). Two kinds of values depend on the
 * clock and are normalised before the comparison:
 * <ul>
 *   <li>a number that reads as a unix time in ms near the case's start (the {@code TIME} of an XCLAIM made by
 *       XREADGROUP, XCLAIM without TIME, XAUTOCLAIM) becomes {@code T+offset} from the case's start, and the two
 *       offsets may differ by a few seconds ({@link PropagationStreamIT#same});</li>
 *   <li>an entry ID whose ms part is such a time (from {@code XADD *}) becomes {@code ID<n>}, n counting the
 *       distinct IDs of the case in order of first appearance, so the same ID keeps one name in every command.</li>
 * </ul>
 * Every other ID is explicit or {@code ms-*}, hence the same on both masters; XCLAIM's explicit TIMEs lie in 2001,
 * far from the clock. With {@code -Dvireo.propagation.show=true} the test prints Redis's stream of every case.
 */
class StreamPropagationIT {
  private static final Pattern CLOCK_ID = Pattern.compile("(?<![0-9])(1[0-9]{12})-([0-9]+)(?![0-9])");
  private static final long DAY_MS = 24L * 3600 * 1000;
  /** An XCLAIM TIME far from the clock (2001-09-09), so it is sent as given. */
  private static final String OLD = "1000000000000";

  private static Case lines(String name, String... lines) {
    return new Case(name, false, s -> s.runAll(lines));
  }

  private static Case c(String name, PropagationStreamIT.Script s) {
    return new Case(name, false, s);
  }

  private static String[] entries(String key, int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i <= to; i++) out.add("XADD " + key + " " + i + "-0 f " + i);
    return out.toArray(new String[0]);
  }

  private static String[] concat(String[]... parts) {
    List<String> all = new ArrayList<>();
    for (String[] p : parts) all.addAll(List.of(p));
    return all.toArray(new String[0]);
  }

  static List<Case> cases() {
    return List.of(
        lines("xadd-ids",
            "XADD s 1-1 a 1", "XADD s 1-* b 2", "xadd s 1-* c 3", "XADD s 2-* d 4", "XADD s 9-9 e 5",
            "XADD s 9-9 dup 1", "XADD s 5-* old 1", "XADD s NOMKSTREAM 10-* f 6", "XADD none NOMKSTREAM 1-1 f v",
            "XADD none NOMKSTREAM * f v", "XADD s * g 7", "XADD s * h 8", "XADD s nomkstream * i 9",
            "XADD s 0-0 a b", "XADD s2 0-1 f v", "XADD s3 0-* f v", "XADD s2 f v"),
        lines("xadd-trim-exact", concat(entries("t", 1, 7),
            new String[] {"XADD t MAXLEN 6 8-0 f v", "XADD t MAXLEN = 5 9-0 f v", "XADD t MINID 6-0 10-0 f v",
                "XADD t MINID = 7-0 11-0 f v", "XADD t MAXLEN 100 12-0 f v", "XADD t MINID 1-0 13-0 f v",
                "XADD t MAXLEN = 3 LIMIT 5 14-0 f v", "XADD t MAXLEN 0 15-0 f v"})),
        lines("xadd-trim-approx", concat(entries("t", 1, 10),
            new String[] {"XADD t MAXLEN ~ 5 11-0 f v", "XADD t MAXLEN ~ 4 12-0 f v",
                "XADD t MINID ~ 11-0 13-0 f v", "XADD t MINID ~ 5-0 14-0 f v", "XADD t MAXLEN ~ 1 LIMIT 2 15-0 f v",
                "XADD t MAXLEN ~ 1 LIMIT 3 16-0 f v", "XADD t minid ~ 100-0 limit 1000 17-0 f v",
                "XADD t MAXLEN ~ 0 18-0 f v", "XADD t MAXLEN ~ 100 19-* f v", "XADD t MINID ~ 0 LIMIT 0 20-0 f v",
                "XADD e 1-0 f v", "XADD e 2-0 f v", "XADD e MINID ~ 999-0 3-0 f v", "XADD e2 1-0 f v",
                "XADD e2 2-0 f v", "XADD e2 MAXLEN ~ 0 3-0 f v", "XADD n MAXLEN ~ 0 1-0 f v",
                "XADD n NOMKSTREAM MAXLEN ~ 0 2-0 f v"})),
        lines("xtrim", concat(entries("t", 1, 10),
            new String[] {"XTRIM t MAXLEN ~ 8", "XTRIM t MAXLEN ~ 7", "XTRIM t MINID ~ 6-0", "XTRIM t MINID ~ 7-0",
                "XTRIM t MAXLEN 3", "XTRIM t MINID = 9-0", "XTRIM t MAXLEN ~ 0 LIMIT 1", "XTRIM t MINID 1-0",
                "XTRIM none MAXLEN 0", "XTRIM t MAXLEN = 0 LIMIT 1", "XTRIM t maxlen ~ 0", "xtrim t maxlen 0",
                "XTRIM t MAXLEN 0"})),
        lines("xdel-xsetid", concat(entries("s", 1, 5),
            new String[] {"XDEL s 2-0 4-0 99-0", "XDEL s 99-0", "XDEL none 1-0", "XSETID s 10-0",
                "XSETID s 20-0 ENTRIESADDED 30 MAXDELETEDID 15-0", "xsetid s 20-0 entriesadded 30 maxdeletedid 19-5",
                "XSETID s 1-0", "XSETID s 30 ENTRIESADDED 31", "XDEL s 1-0 3-0 5-0", "XSETID s 40-0",
                "XSETID none 1-0"})),
        lines("xgroup", "XADD s 1-0 a 1", "XADD s 2-0 b 2", "XGROUP CREATE s g $",
            "XGROUP CREATE s g2 0 ENTRIESREAD 1", "XGROUP CREATE s g3 1-0", "XGROUP CREATE s g3 1-0",
            "XGROUP CREATE none g $", "XGROUP CREATE m g $ MKSTREAM",
            "xgroup create m2 g 0 mkstream entriesread 0", "XGROUP SETID s g 1-0", "XGROUP SETID s g $ ENTRIESREAD 2",
            "XGROUP SETID s g 0", "XGROUP CREATECONSUMER s g alice", "XGROUP CREATECONSUMER s g alice",
            "XGROUP DELCONSUMER s g alice", "XGROUP DELCONSUMER s g nobody", "XGROUP DESTROY s g2",
            "XGROUP DESTROY s g2", "XGROUP DESTROY none g"),
        lines("xreadgroup", concat(entries("s", 1, 6), entries("s2", 1, 2),
            new String[] {"XGROUP CREATE s g 0", "XGROUP CREATE s2 g 0",
                "XREADGROUP GROUP g alice COUNT 2 STREAMS s >", "XREADGROUP GROUP g bob NOACK COUNT 1 STREAMS s >",
                "XREADGROUP GROUP g bob NOACK COUNT 1 STREAMS s >", "XREADGROUP GROUP g carol STREAMS s s2 > >",
                "XREADGROUP GROUP g alice STREAMS s 0", "XREADGROUP GROUP g alice COUNT 1 STREAMS s 1-0",
                "XREADGROUP GROUP g dan STREAMS s >", "XREADGROUP GROUP g erin NOACK STREAMS s >",
                "XACK s g 1-0 2-0 99-0", "XACK s g 99-0", "XACK s g 1-0", "XADD s 7-0 f v",
                "XREADGROUP GROUP g erin NOACK STREAMS s >", "XREADGROUP GROUP nog x STREAMS s >"})),
        lines("xclaim", concat(entries("s", 1, 5),
            new String[] {"XGROUP CREATE s g 0", "XREADGROUP GROUP g alice STREAMS s >", "XCLAIM s g bob 0 1-0",
                "XCLAIM s g bob 0 2-0 IDLE 5000", "XCLAIM s g bob 0 3-0 TIME " + OLD + " RETRYCOUNT 7",
                "XCLAIM s g bob 0 4-0 JUSTID", "XCLAIM s g bob 0 9-0 FORCE", "XADD s 6-0 f v",
                "XCLAIM s g carol 0 6-0 FORCE JUSTID TIME " + OLD, "XCLAIM s g carol 0 5-0 LASTID 10-0 TIME " + OLD,
                "XCLAIM s g carol 3600000 1-0 LASTID 20-0", "XCLAIM s g carol 3600000 1-0 LASTID 5-0",
                "XDEL s 2-0", "XCLAIM s g carol 0 2-0 TIME " + OLD,
                "XCLAIM s g carol 0 1-0 3-0 JUSTID RETRYCOUNT 2 TIME " + OLD,
                "XDEL s 4-0", "XCLAIM s g dave 0 4-0 5-0 JUSTID TIME " + OLD + " LASTID 30-0",
                "XCLAIM s g dave 0 1-0 TIME " + OLD + " FORCE RETRYCOUNT 0"})),
        lines("xautoclaim", concat(entries("s", 1, 6),
            new String[] {"XGROUP CREATE s g 0", "XREADGROUP GROUP g alice STREAMS s >", "XDEL s 2-0 4-0",
                "XAUTOCLAIM s g bob 0 0-0 COUNT 3", "XAUTOCLAIM s g bob 0 0-0 COUNT 10 JUSTID",
                "XAUTOCLAIM s g carol 3600000 0-0", "XDEL s 6-0", "XAUTOCLAIM s g carol 0 5-0 JUSTID"})),
        c("blocked-xreadgroup-served-later", s -> {
          s.runAll("XADD s 1-0 f 1", "XGROUP CREATE s g $", "XGROUP CREATE s g2 $",
              "XGROUP CREATE other g $ MKSTREAM");
          s.block(1, "XREADGROUP GROUP g erin BLOCK 0 STREAMS s >");
          s.block(2, "XREADGROUP GROUP g2 frank NOACK BLOCK 0 COUNT 1 STREAMS s >");
          s.run("XADD s 2-0 f 2");
          s.reply(1);
          s.reply(2);
          s.block(1, "XREADGROUP GROUP g erin BLOCK 0 STREAMS other s > >");
          s.run("XADD s 3-* f 3");
          s.reply(1);
        }),
        c("blocked-xreadgroup-served-by-multi-and-eval", s -> {
          s.runAll("XGROUP CREATE s g $ MKSTREAM", "XGROUP CREATE s g2 $");
          s.block(1, "XREADGROUP GROUP g ann BLOCK 0 STREAMS s >");
          s.block(2, "XREADGROUP GROUP g2 ben NOACK BLOCK 0 STREAMS s >");
          s.runAll("MULTI", "XADD s 1-0 f 1", "XADD s 2-0 f 2", "EXEC");
          s.reply(1);
          s.reply(2);
          s.block(1, "XREADGROUP GROUP g ann BLOCK 0 STREAMS s >");
          s.call(0, "EVAL", "redis.call('XADD', KEYS[1], '3-0', 'f', 'v') "
              + "return redis.call('XADD', KEYS[1], '4-0', 'f', 'v')", "1", "s");
          s.reply(1);
        }),
        lines("multi-exec", "XADD s 1-0 f 1", "XGROUP CREATE s g 0", "MULTI", "XADD s 2-* f v",
            "XADD s MAXLEN ~ 1 3-0 f v", "XREADGROUP GROUP g alice STREAMS s >", "XACK s g 2-0",
            "XCLAIM s g bob 0 3-0 TIME " + OLD, "XTRIM s MAXLEN ~ 0", "XAUTOCLAIM s g carol 0 0 JUSTID", "EXEC",
            "MULTI", "XADD s * f v", "XGROUP CREATECONSUMER s g zed", "XREADGROUP GROUP g new NOACK STREAMS s >",
            "EXEC"),
        c("eval", s -> {
          s.runAll("XADD s 1-0 f 1", "XADD s 2-0 f 2", "XADD s 3-0 f 3", "XGROUP CREATE s g 0");
          s.call(0, "EVAL", "redis.call('XADD', KEYS[1], '5-*', 'f', 'v') "
              + "redis.call('XADD', KEYS[1], 'MAXLEN', '~', '1', '6-*', 'f', 'v') "
              + "redis.call('XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', KEYS[1], '>') "
              + "redis.call('XCLAIM', KEYS[1], 'g', 'bob', '0', '5-0', 'TIME', '" + OLD + "') "
              + "return redis.call('XREADGROUP', 'GROUP', 'g', 'nick', 'NOACK', 'STREAMS', KEYS[1], '>')", "1", "s");
          s.call(0, "EVAL", "redis.call('XADD', KEYS[1], '*', 'f', 'v') "
              + "return redis.call('XTRIM', KEYS[1], 'MINID', '~', '7')", "1", "s");
        }));
  }

  /** Entry IDs whose ms part is a time near now become ID1, ID2... in order of first appearance. */
  static List<String> normaliseIds(List<String> commands) {
    long now = System.currentTimeMillis();
    Map<String, String> names = new LinkedHashMap<>();
    List<String> out = new ArrayList<>();
    for (String cmd : commands) {
      Matcher m = CLOCK_ID.matcher(cmd);
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        String id = m.group();
        String name = Math.abs(Long.parseLong(m.group(1)) - now) < DAY_MS
            ? names.computeIfAbsent(id, k -> "ID" + (names.size() + 1)) : id;
        m.appendReplacement(sb, Matcher.quoteReplacement(name));
      }
      m.appendTail(sb);
      out.add(sb.toString());
    }
    return out;
  }

  @Test
  void streamCommandsPropagateAsRedisPropagatesThem() {
    try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes",
            "--stream-node-max-entries", "3");
        TestNode node = TestNode.start("--stream-node-max-entries", "3")) {
      PropagationStreamIT.assertSameStreams("stream streams", new Master("redis", redis.port()),
          new Master("vireo", node.port()), cases(), StreamPropagationIT::normaliseIds);
    }
  }
}
