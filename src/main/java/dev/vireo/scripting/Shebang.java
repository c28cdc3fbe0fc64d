package dev.vireo.scripting;

import dev.vireo.resp.CommandError;
import java.nio.charset.StandardCharsets;

/**
 * The first line of a 7.0 script, {@code #!lua flags=no-writes,allow-oom,allow-stale,no-cluster,
 * allow-cross-slot-keys}; a script without one runs in compatibility mode (it may write unless run by EVAL_RO).
 */
record Shebang(boolean present, boolean noWrites, boolean allowOom, boolean allowStale, boolean noCluster,
    boolean allowCrossSlot) {
  static final Shebang NONE = new Shebang(false, false, false, false, false, false);

  /** Parses the shebang of an EVAL body; throws Redis's error for an unknown engine, option or flag. */
  static Shebang parse(byte[] body) {
    if (body.length < 2 || body[0] != '#' || body[1] != '!') return NONE;
    int end = 0;
    while (end < body.length && body[end] != '\n') end++;
    String line = new String(body, 0, end, StandardCharsets.ISO_8859_1);
    String[] parts = line.split(" ");
    if (!parts[0].equals("#!lua")) {
      throw new CommandError("ERR Unexpected engine in script shebang: " + parts[0]);
    }
    boolean noWrites = false;
    boolean allowOom = false;
    boolean allowStale = false;
    boolean noCluster = false;
    boolean crossSlot = false;
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i];
      if (p.isEmpty()) continue;
      if (!p.startsWith("flags=")) throw new CommandError("ERR Unknown lua shebang option: " + p);
      for (String f : p.substring(6).split(",", -1)) {
        switch (f) {
          case "no-writes" -> noWrites = true;
          case "allow-oom" -> allowOom = true;
          case "allow-stale" -> allowStale = true;
          case "no-cluster" -> noCluster = true;
          case "allow-cross-slot-keys" -> crossSlot = true;
          case "" -> { }
          default -> throw new CommandError("ERR Unexpected flag in script shebang: " + f);
        }
      }
    }
    return new Shebang(true, noWrites, allowOom, allowStale, noCluster, crossSlot);
  }
}
