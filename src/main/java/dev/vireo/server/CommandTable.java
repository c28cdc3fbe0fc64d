package dev.vireo.server;

import dev.vireo.resp.Args;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every command, by lower-case name. Families add theirs with {@link #add}. */
public final class CommandTable {
  private final Map<String, CommandSpec> byName = new LinkedHashMap<>();
  /** Lookup by raw bytes without allocating: open addressing on a case-folded hash. */
  private CommandSpec[] slots = new CommandSpec[1024];

  public CommandSpec add(String name, int arity, int flags, int firstKey, int lastKey, int step, String group,
      String since, String summary, CommandSpec.Handler handler) {
    CommandSpec s = new CommandSpec(null, name, arity, flags, firstKey, lastKey, step, group, since, summary,
        handler);
    if (byName.put(name, s) != null) throw new IllegalStateException("duplicate command " + name);
    if (byName.size() * 2 > slots.length) throw new IllegalStateException("command table full");
    int i = fold(name) & (slots.length - 1);
    while (slots[i] != null) i = (i + 1) & (slots.length - 1);
    slots[i] = s;
    return s;
  }

  public CommandSpec get(String lowerName) {
    return byName.get(lowerName);
  }

  public Collection<CommandSpec> all() {
    return byName.values();
  }

  public int size() {
    return byName.size();
  }

  /** The command named by argument 0, case-insensitively; null when unknown. */
  public CommandSpec lookup(Args a) {
    byte[] b = a.buf(0);
    int off = a.off(0);
    int len = a.len(0);
    int h = 0;
    for (int k = 0; k < len; k++) h = 31 * h + lower(b[off + k]);
    int i = mix(h) & (slots.length - 1);
    for (CommandSpec s; (s = slots[i]) != null; i = (i + 1) & (slots.length - 1)) {
      if (s.name.length() == len && equalsFolded(s.name, b, off)) return s;
    }
    return null;
  }

  private static boolean equalsFolded(String name, byte[] b, int off) {
    for (int k = 0; k < name.length(); k++) if (name.charAt(k) != lower(b[off + k])) return false;
    return true;
  }

  private static int lower(byte c) {
    return c >= 'A' && c <= 'Z' ? c + 32 : c & 0xff;
  }

  private static int fold(String name) {
    int h = 0;
    for (int k = 0; k < name.length(); k++) h = 31 * h + name.charAt(k);
    return mix(h);
  }

  private static int mix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    return h;
  }
}
