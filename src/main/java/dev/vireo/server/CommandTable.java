package dev.vireo.server;

import dev.vireo.resp.Args;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every command, by the lower-case name clients call it by. Families add theirs with {@link #add}; {@code
 * rename-command} then gives a command another name, or none ({@link #rename}). A renamed command keeps its own
 * name in what describes it (COMMAND INFO, INFO commandstats), as in Redis.
 */
public final class CommandTable {
  private final Map<String, CommandSpec> byName = new LinkedHashMap<>();
  /** The commands clients can call, in the order they were added. */
  private final List<CommandSpec> callable = new ArrayList<>();
  /** Lookup by raw bytes without allocating: open addressing on a case-folded hash of the name in {@link #keys}. */
  private final CommandSpec[] slots = new CommandSpec[1024];
  private final String[] keys = new String[slots.length];

  public CommandSpec add(String name, int arity, int flags, int firstKey, int lastKey, int step, String group,
      String since, String summary, CommandSpec.Handler handler) {
    CommandSpec s = new CommandSpec(null, name, arity, flags, firstKey, lastKey, step, group, since, summary,
        handler);
    if (byName.put(name, s) != null) throw new IllegalStateException("duplicate command " + name);
    if (byName.size() * 2 > slots.length) throw new IllegalStateException("command table full");
    callable.add(s);
    index(name, s);
    return s;
  }

  private void index(String name, CommandSpec s) {
    int i = fold(name) & (slots.length - 1);
    while (slots[i] != null) i = (i + 1) & (slots.length - 1);
    slots[i] = s;
    keys[i] = name;
  }

  /**
   * {@code rename-command from to}: the command answers to {@code to} only, or to no name at all when {@code to}
   * is empty. Fails with Redis's message when {@code from} names no command or {@code to} one that exists.
   */
  public void rename(String from, String to) {
    String oldName = from.toLowerCase(Locale.ROOT);
    String newName = to.toLowerCase(Locale.ROOT);
    CommandSpec s = byName.get(oldName);
    if (s == null) throw new IllegalArgumentException("No such command in rename-command");
    // the old name goes first, as in Redis: renaming a command to its own name changes nothing
    if (!newName.isEmpty() && !newName.equals(oldName) && byName.containsKey(newName)) {
      throw new IllegalArgumentException("Target command name already exists");
    }
    byName.remove(oldName);
    if (newName.isEmpty()) {
      callable.remove(s);
    } else {
      byName.put(newName, s);
    }
    Arrays.fill(slots, null);
    Arrays.fill(keys, null);
    byName.forEach((name, spec) -> index(name, spec));
  }

  /** The command called {@code lowerName} (after any renaming), or null. */
  public CommandSpec get(String lowerName) {
    return byName.get(lowerName);
  }

  /** The commands clients can call, under whichever name. */
  public Collection<CommandSpec> all() {
    return Collections.unmodifiableList(callable);
  }

  public int size() {
    return callable.size();
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
      String name = keys[i];
      if (name.length() == len && equalsFolded(name, b, off)) return s;
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
