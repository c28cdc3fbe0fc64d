package dev.vireo.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Compares two raw stream replies (Redis's and Vireo's) byte for byte, except for the integers that depend on the
 * clock of each server: those must be integers on both sides and differ by at most a slack in milliseconds.
 *
 * <p>The clock-dependent integers are, in Redis 7.0's replies:
 * <ul>
 *   <li>the idle time, third element of each entry of an extended {@code XPENDING} reply;
 *   <li>the value after an {@code idle}, {@code seen-time}, {@code active-time}, {@code inactive} or
 *       {@code delivery-time} label in an {@code XINFO} reply (a RESP2 label/value array or a RESP3 map);
 *   <li>the delivery time, first integer of each entry under a {@code pending} label of {@code XINFO STREAM FULL}
 *       (group PEL entries are {@code [id, consumer, delivery-time, count]}, consumer ones
 *       {@code [id, delivery-time, count]}).
 * </ul>
 * Both servers get each command a few hundred microseconds apart, so their clocks agree to within that: a slack of
 * a second still catches a field in seconds instead of milliseconds, a delivery time left unset, or an
 * {@code IDLE}/{@code TIME} option ignored.
 *
 * <p>{@code XADD} with {@code *} on a key whose top ID is in the past is answered with the server's clock too: only
 * the shape of the ID is compared then.
 */
final class StreamReplies {
  private static final Set<String> TIME_LABELS = Set.of("idle", "seen-time", "active-time", "inactive",
      "delivery-time");
  private static final Pattern GENERATED_ID = Pattern.compile("\\$\\d+\r\n\\d+-\\d+\r\n");

  private StreamReplies() {}

  /** Null when the replies agree for this command, else a line saying how they differ. */
  static String mismatch(String[] cmd, String redis, String vireo, long slackMillis, boolean clockIds) {
    if (redis.equals(vireo)) return null;
    if (clockIds && GENERATED_ID.matcher(redis).matches() && GENERATED_ID.matcher(vireo).matches()) return null;
    String name = cmd[0].toUpperCase(Locale.ROOT);
    boolean extendedPending = name.equals("XPENDING") && cmd.length >= 6;
    boolean info = name.equals("XINFO");
    if (!extendedPending && !info) return "replies differ";
    Node r;
    Node v;
    try {
      r = parse(redis);
      v = parse(vireo);
    } catch (RuntimeException e) {
      return "replies differ (unparsable: " + e.getMessage() + ")";
    }
    if (extendedPending) {
      markPendingIdle(r);
      markPendingIdle(v);
    } else {
      markLabelled(r);
      markLabelled(v);
    }
    String rm = render(r);
    String vm = render(v);
    if (!rm.equals(vm)) return "replies differ outside clock fields";
    List<Long> rt = new ArrayList<>();
    List<Long> vt = new ArrayList<>();
    times(r, rt);
    times(v, vt);
    for (int i = 0; i < rt.size(); i++) {
      if (Math.abs(rt.get(i) - vt.get(i)) > slackMillis) {
        return "clock field #" + (i + 1) + " differs by more than " + slackMillis + " ms: " + rt.get(i) + " vs "
            + vt.get(i);
      }
    }
    return null;
  }

  /** One RESP value: its type byte, its header line (or simple payload), a bulk payload, its children. */
  static final class Node {
    final char type;
    final String line;
    String bulk;
    final List<Node> kids = new ArrayList<>();
    boolean clock;

    Node(char type, String line) {
      this.type = type;
      this.line = line;
    }

    boolean isString() {
      return (type == '$' && bulk != null) || type == '+';
    }

    String text() {
      return type == '$' ? bulk : line;
    }

    boolean isAggregate() {
      return type == '*' || type == '%' || type == '~' || type == '>';
    }
  }

  static Node parse(String raw) {
    int[] at = {0};
    Node n = read(raw, at);
    if (at[0] != raw.length()) throw new IllegalArgumentException("trailing bytes after the reply");
    return n;
  }

  private static Node read(String raw, int[] at) {
    char type = raw.charAt(at[0]++);
    int eol = raw.indexOf("\r\n", at[0]);
    if (eol < 0) throw new IllegalArgumentException("no CRLF");
    String line = raw.substring(at[0], eol);
    at[0] = eol + 2;
    Node n = new Node(type, line);
    switch (type) {
      case '$', '!', '=' -> {
        int len = Integer.parseInt(line);
        if (len >= 0) {
          n.bulk = raw.substring(at[0], at[0] + len);
          at[0] += len + 2;
        }
      }
      case '*', '~', '>', '%' -> {
        int count = Integer.parseInt(line);
        if (type == '%') count *= 2;
        for (int i = 0; i < count; i++) n.kids.add(read(raw, at));
      }
      default -> {
        // a simple type: the line is the whole value
      }
    }
    return n;
  }

  /** The reply again, with every clock integer written as {@code :<clock>}. */
  static String render(Node n) {
    StringBuilder s = new StringBuilder();
    render(n, s);
    return s.toString();
  }

  private static void render(Node n, StringBuilder s) {
    if (n.clock) {
      s.append(":<clock>\r\n");
      return;
    }
    s.append(n.type).append(n.line).append("\r\n");
    if (n.bulk != null) s.append(n.bulk).append("\r\n");
    for (Node k : n.kids) render(k, s);
  }

  private static void times(Node n, List<Long> out) {
    if (n.clock) out.add(Long.parseLong(n.line));
    for (Node k : n.kids) times(k, out);
  }

  /** Extended XPENDING: {@code [[id, consumer, idle, count], ...]}. */
  private static void markPendingIdle(Node n) {
    if (!n.isAggregate()) return;
    for (Node e : n.kids) {
      if (e.type == '*' && e.kids.size() == 4 && e.kids.get(2).type == ':') e.kids.get(2).clock = true;
    }
  }

  /** XINFO: integers after a time label, and the delivery time of each entry under a {@code pending} label. */
  private static void markLabelled(Node n) {
    if (!n.isAggregate()) return;
    for (int i = 0; i + 1 < n.kids.size(); i++) {
      Node label = n.kids.get(i);
      Node value = n.kids.get(i + 1);
      if (!label.isString()) continue;
      if (TIME_LABELS.contains(label.text()) && value.type == ':') value.clock = true;
      if (label.text().equals("pending") && value.type == '*') {
        for (Node e : value.kids) {
          for (Node f : e.kids) {
            if (f.type == ':') {
              f.clock = true;
              break;
            }
          }
        }
      }
    }
    for (Node k : n.kids) markLabelled(k);
  }
}
