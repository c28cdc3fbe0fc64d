package dev.vireo.acl;

import dev.vireo.resp.Args;
import dev.vireo.server.CommandSpec;
import dev.vireo.util.Glob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One set of permissions: key patterns (each readable, writable or both), channel patterns and a command bitmap
 * (with first-arguments allowed for commands without subcommands, as {@code +select|0}). A user has its root
 * selector and any number of {@code (...)} ones; a command runs when one of them allows it whole.
 */
final class Selector {
  static final int READ = 1;
  static final int WRITE = 2;
  static final int READ_WRITE = READ | WRITE;

  /** A key pattern and the access it grants. */
  static final class KeyPattern {
    final String pattern;
    final byte[] bytes;
    int flags;

    KeyPattern(String pattern, int flags) {
      this.pattern = pattern;
      this.bytes = pattern.getBytes(StandardCharsets.UTF_8);
      this.flags = flags;
    }

    String describe() {
      return switch (flags) {
        case READ -> "%R~" + pattern;
        case WRITE -> "%W~" + pattern;
        default -> "~" + pattern;
      };
    }
  }

  boolean allKeys;
  boolean allChannels;
  /** Set by +@all: the selector also allows commands that do not exist yet, and is described from +@all. */
  boolean future;
  BitSet allowed = new BitSet();
  List<KeyPattern> keys = new ArrayList<>();
  List<String> channels = new ArrayList<>();
  /** Command id -> first arguments allowed although the command is not. */
  Map<Integer, List<String>> firstArgs = new HashMap<>();

  Selector(boolean allChannels) {
    this.allChannels = allChannels;
  }

  Selector copy() {
    Selector s = new Selector(allChannels);
    s.allKeys = allKeys;
    s.future = future;
    s.allowed = (BitSet) allowed.clone();
    for (KeyPattern k : keys) s.keys.add(new KeyPattern(k.pattern, k.flags));
    s.channels = new ArrayList<>(channels);
    for (var e : firstArgs.entrySet()) s.firstArgs.put(e.getKey(), new ArrayList<>(e.getValue()));
    return s;
  }

  // ---------------------------------------------------------------- rules

  /** Applies one rule (ACLSetSelector's grammar); throws Redis's error for a rule it refuses. */
  void apply(String op, Catalog catalog) throws RuleError {
    String lower = op.toLowerCase(Locale.ROOT);
    if (lower.equals("allkeys") || op.equals("~*")) {
      allKeys = true;
      keys.clear();
    } else if (lower.equals("resetkeys")) {
      allKeys = false;
      keys.clear();
    } else if (lower.equals("allchannels") || op.equals("&*")) {
      allChannels = true;
      channels.clear();
    } else if (lower.equals("resetchannels")) {
      allChannels = false;
      channels.clear();
    } else if (lower.equals("allcommands") || lower.equals("+@all")) {
      allowed.set(0, catalog.size());
      future = true;
      firstArgs.clear();
    } else if (lower.equals("nocommands") || lower.equals("-@all")) {
      allowed.clear();
      future = false;
      firstArgs.clear();
    } else if (op.startsWith("~") || op.startsWith("%")) {
      addKeyPattern(op);
    } else if (op.startsWith("&")) {
      if (allChannels) throw new RuleError(RuleError.CHANNELS_AFTER_ALL);
      String p = op.substring(1);
      if (hasSpaces(p)) throw new RuleError(RuleError.SYNTAX);
      if (!channels.contains(p)) channels.add(p);
      allChannels = false;
    } else if (op.startsWith("+@") || op.startsWith("-@")) {
      long bit = Catalog.categoryBit(op.substring(2));
      if (bit < 0) throw new RuleError(RuleError.UNKNOWN);
      setCategory(catalog, bit, op.charAt(0) == '+');
    } else if (op.startsWith("+")) {
      allowCommand(op.substring(1), catalog);
    } else if (op.startsWith("-")) {
      CommandSpec cmd = catalog.lookup(op.substring(1));
      if (cmd == null) throw new RuleError(RuleError.UNKNOWN);
      change(catalog, cmd, false);
    } else {
      throw new RuleError(RuleError.SYNTAX);
    }
  }

  private void addKeyPattern(String op) throws RuleError {
    if (allKeys) throw new RuleError(RuleError.KEYS_AFTER_ALL);
    int flags = 0;
    int offset = 1;
    if (op.charAt(0) == '%') {
      for (; offset < op.length(); offset++) {
        char ch = Character.toUpperCase(op.charAt(offset));
        if (ch == 'R' && (flags & READ) == 0) {
          flags |= READ;
        } else if (ch == 'W' && (flags & WRITE) == 0) {
          flags |= WRITE;
        } else if (op.charAt(offset) == '~') {
          offset++;
          break;
        } else {
          throw new RuleError(RuleError.SYNTAX);
        }
      }
      if (flags == 0) throw new RuleError(RuleError.SYNTAX);
    } else {
      flags = READ_WRITE;
    }
    String p = op.substring(Math.min(offset, op.length()));
    if (hasSpaces(p)) throw new RuleError(RuleError.SYNTAX);
    KeyPattern existing = null;
    for (KeyPattern k : keys) {
      if (k.pattern.equals(p)) existing = k;
    }
    if (existing == null) keys.add(new KeyPattern(p, flags));
    else existing.flags |= flags;
  }

  /** "+cmd", "+container|sub", or "+cmd|firstarg" for a command without subcommands. */
  private void allowCommand(String name, Catalog catalog) throws RuleError {
    int bar = name.indexOf('|');
    if (bar < 0) {
      CommandSpec cmd = catalog.lookup(name);
      if (cmd == null) throw new RuleError(RuleError.UNKNOWN);
      change(catalog, cmd, true);
      return;
    }
    CommandSpec cmd = catalog.lookup(name.substring(0, bar));
    if (cmd == null) throw new RuleError(RuleError.UNKNOWN);
    String sub = name.substring(bar + 1);
    if (sub.isEmpty()) throw new RuleError(RuleError.SYNTAX);
    if (cmd.isContainer()) {
      CommandSpec s = catalog.lookup(name);
      if (s == null) throw new RuleError(RuleError.UNKNOWN);
      change(catalog, s, true);
      return;
    }
    // a first argument of a command that has no subcommands (SELECT 0, DEBUG OBJECT...)
    List<String> args = firstArgs.computeIfAbsent(catalog.id(cmd), k -> new ArrayList<>());
    String lowerSub = sub.toLowerCase(Locale.ROOT);
    if (!args.contains(lowerSub)) args.add(lowerSub);
  }

  /** Allows or denies a command, and with a container all its subcommands; its first arguments are forgotten. */
  void change(Catalog catalog, CommandSpec cmd, boolean allow) {
    int id = catalog.id(cmd);
    allowed.set(id, allow);
    firstArgs.remove(id);
    for (CommandSpec sub : cmd.subcommands().values()) allowed.set(catalog.id(sub), allow);
  }

  private void setCategory(Catalog catalog, long bit, boolean allow) {
    for (int id = 0; id < catalog.size(); id++) {
      if ((catalog.mask(id) & bit) != 0) change(catalog, catalog.command(id), allow);
    }
  }

  /** As Redis: patterns may not hold whitespace or NUL. */
  static boolean hasSpaces(String s) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == ' ' || (ch >= '\t' && ch <= '\r') || ch == 0) return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- checks

  /** True when the selector allows the command itself (its first argument included). */
  boolean allowsCommand(Catalog catalog, CommandSpec cmd, Args a) {
    if (cmd.has(CommandSpec.NO_AUTH)) return true;
    int id = catalog.id(cmd);
    if (id < 0) return future;
    if (allowed.get(id)) return true;
    List<String> args = firstArgs.get(id);
    int idx = cmd.parent() != null ? 2 : 1;
    if (args == null || a.count() <= idx) return false;
    return args.contains(a.lower(idx));
  }

  boolean allowsKey(byte[] key, int access) {
    if (allKeys) return true;
    for (KeyPattern k : keys) {
      if ((k.flags & access) != access) continue;
      if (Glob.match(k.bytes, key, false)) return true;
    }
    return false;
  }

  /** A channel matches a pattern; a pattern (PSUBSCRIBE) must be one of the patterns as written. */
  boolean allowsChannel(String channel, boolean isPattern) {
    if (allChannels) return true;
    for (String p : channels) {
      if (isPattern ? p.equals(channel) : Glob.match(p, channel, false)) return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- description

  String describeKeys() {
    if (allKeys) return "~*";
    StringBuilder sb = new StringBuilder();
    for (KeyPattern k : keys) {
      if (sb.length() > 0) sb.append(' ');
      sb.append(k.describe());
    }
    return sb.toString();
  }

  /** The channels as GETUSER shows them ("&*", or the patterns). */
  String describeChannels() {
    if (allChannels) return "&*";
    StringBuilder sb = new StringBuilder();
    for (String c : channels) {
      if (sb.length() > 0) sb.append(' ');
      sb.append('&').append(c);
    }
    return sb.toString();
  }

  /** The whole selector as ACL LIST renders it: keys, channels (with resetchannels), commands. */
  String describe(Catalog catalog) {
    StringBuilder sb = new StringBuilder();
    String k = describeKeys();
    if (!k.isEmpty()) sb.append(k).append(' ');
    if (allChannels) {
      sb.append("&* ");
    } else {
      sb.append("resetchannels ");
      for (String c : channels) sb.append('&').append(c).append(' ');
    }
    sb.append(describeCommands(catalog));
    return sb.toString();
  }

  /**
   * The command rules as Redis 7.0 renders them: +@all or -@all, then, greedily, the category that differs from
   * the selector in the fewest commands while matching it in more than it differs (ties: the one matching more),
   * until none qualifies; then each single command (and its subcommands) still different, and first arguments.
   */
  String describeCommands(Catalog catalog) {
    boolean additive = !future;
    StringBuilder rules = new StringBuilder(additive ? "-@all " : "+@all ");
    Selector fake = new Selector(false);
    Selector temp = copy();
    if (!additive) fake.apply0(catalog, true);
    long applied = 0;
    while (true) {
      int best = -1;
      long minDiff = Long.MAX_VALUE;
      long maxSame = 0;
      for (int j = 0; j < Catalog.CATEGORIES.size(); j++) {
        long bit = 1L << j;
        if ((applied & bit) != 0) continue;
        long on = 0;
        long off = 0;
        for (int id = 0; id < catalog.size(); id++) {
          if ((catalog.mask(id) & bit) == 0) continue;
          if (temp.allowed.get(id)) on++;
          else off++;
        }
        long diff = additive ? off : on;
        long same = additive ? on : off;
        if (same > diff && (diff < minDiff || (diff == minDiff && same > maxSame))) {
          best = j;
          minDiff = diff;
          maxSame = same;
        }
      }
      if (best < 0) break;
      long bit = 1L << best;
      fake.setCategory(catalog, bit, additive);
      temp.setCategory(catalog, bit, !additive);
      rules.append(additive ? "+@" : "-@").append(Catalog.CATEGORIES.get(best)).append(' ');
      applied |= bit;
    }
    for (int id = 0; id < catalog.size(); id++) {
      CommandSpec cmd = catalog.command(id);
      boolean user = allowed.get(id);
      if (user != fake.allowed.get(id)) {
        rules.append(user ? '+' : '-').append(cmd.fullName).append(' ');
        fake.change(catalog, cmd, user);
      }
      List<String> args = firstArgs.get(id);
      if (!user && args != null && cmd.parent() == null) {
        for (String arg : args) rules.append('+').append(cmd.fullName).append('|').append(arg).append(' ');
      }
    }
    rules.setLength(rules.length() - 1);
    return rules.toString();
  }

  private void apply0(Catalog catalog, boolean all) {
    if (all) allowed.set(0, catalog.size());
    else allowed.clear();
  }
}
