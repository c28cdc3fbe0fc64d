package dev.vireo.memory;

import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.RespClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the memory tests share: the two servers they compare (a real redis-server and Vireo, or two redis-servers
 * with {@code -Dvireo.reference=redis}), pipelined batches, and INFO numbers.
 */
final class MemorySides {
  private MemorySides() {}

  /** The kinds a test compares: the reference first, then the server under test. */
  static List<String> kinds() {
    return List.of("redis", ours());
  }

  /** {@code "vireo"}, or {@code "redis"} when the expectations themselves are being checked. */
  static String ours() {
    return "redis".equals(System.getProperty("vireo.reference")) ? "redis" : "vireo";
  }

  /** A server of {@code kind} with DEBUG enabled (for DIGEST), plus {@code args}. */
  static AnyServer start(String kind, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--enable-debug-command";
    all[1] = "yes";
    System.arraycopy(args, 0, all, 2, args.length);
    return AnyServer.start(kind, all);
  }

  /**
   * Sends every command at once and reads one reply per command. Arguments go as Latin-1 bytes, so a DUMP payload
   * read as Latin-1 passes unchanged.
   */
  static List<String> pipeline(RespClient c, List<String[]> commands) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    for (String[] cmd : commands) {
      byte[][] args = new byte[cmd.length][];
      for (int i = 0; i < cmd.length; i++) args[i] = cmd[i].getBytes(StandardCharsets.ISO_8859_1);
      buf.writeBytes(RespClient.encodeCommand(args));
    }
    c.sendRaw(buf.toByteArray());
    List<String> replies = new ArrayList<>(commands.size());
    for (int i = 0; i < commands.size(); i++) replies.add(c.readReply());
    return replies;
  }

  /** An integer field of {@code INFO section}. */
  static long infoLong(RespClient c, String section, String field) {
    String v = InfoFields.get(c.call("INFO", section), field);
    if (v == null) throw new AssertionError("INFO " + section + " has no " + field);
    return Long.parseLong(v);
  }

  /** The integer of a {@code :n} reply. */
  static long integer(String reply) {
    if (!reply.startsWith(":")) throw new AssertionError("not an integer reply: " + show(reply));
    return Long.parseLong(reply.substring(1, reply.length() - 2));
  }

  /** How many of {@code prefix0 .. prefix(n-1)} exist (EXISTS does not touch the keys' access time). */
  static int countExisting(RespClient c, String prefix, int from, int to) {
    int total = 0;
    for (int start = from; start < to; start += 500) {
      int end = Math.min(to, start + 500);
      String[] cmd = new String[end - start + 1];
      cmd[0] = "EXISTS";
      for (int i = start; i < end; i++) cmd[i - start + 1] = prefix + i;
      total += (int) integer(c.call(cmd));
    }
    return total;
  }

  static String show(String reply) {
    return reply.replace("\r", "\\r").replace("\n", "\\n");
  }

  /**
   * A RESP2/RESP3 reply as Java values: Long for integers, String for simple and bulk strings and doubles, {@code
   * "-..."} strings for errors, List for arrays, sets and maps (keys and values in turn), null for nil.
   */
  static Object parse(String raw) {
    int[] at = {0};
    Object v = parseOne(raw, at);
    if (at[0] != raw.length()) throw new AssertionError("trailing bytes after a reply: " + show(raw));
    return v;
  }

  private static Object parseOne(String raw, int[] at) {
    int eol = raw.indexOf("\r\n", at[0]);
    char type = raw.charAt(at[0]);
    String head = raw.substring(at[0] + 1, eol);
    at[0] = eol + 2;
    switch (type) {
      case '+', ',':
        return head;
      case '-':
        return "-" + head;
      case ':':
        return Long.parseLong(head);
      case '_':
        return null;
      case '$', '=': {
        int n = Integer.parseInt(head);
        if (n < 0) return null;
        String s = raw.substring(at[0], at[0] + n);
        at[0] += n + 2;
        return s;
      }
      case '*', '~', '%', '>': {
        int n = Integer.parseInt(head);
        if (n < 0) return null;
        if (type == '%') n *= 2;
        List<Object> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) items.add(parseOne(raw, at));
        return items;
      }
      default:
        throw new AssertionError("unknown reply type " + type + " in " + show(raw));
    }
  }
}
