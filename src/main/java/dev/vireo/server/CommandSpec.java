package dev.vireo.server;

import dev.vireo.resp.Args;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * One command as Redis's command table describes it: name, arity (negative = at least), flags, key positions,
 * documentation, and for container commands (CONFIG, CLIENT...) the subcommands. Also holds the command's
 * statistics (INFO commandstats).
 */
public final class CommandSpec {
  /** Runs the command on the data loop. */
  @FunctionalInterface
  public interface Handler {
    void run(Client c, Args a);
  }

  public static final int WRITE = 1;
  public static final int READONLY = 1 << 1;
  public static final int DENYOOM = 1 << 2;
  public static final int ADMIN = 1 << 3;
  public static final int PUBSUB = 1 << 4;
  public static final int NOSCRIPT = 1 << 5;
  public static final int BLOCKING = 1 << 6;
  public static final int LOADING = 1 << 7;
  public static final int STALE = 1 << 8;
  public static final int SKIP_MONITOR = 1 << 9;
  public static final int SKIP_SLOWLOG = 1 << 10;
  public static final int FAST = 1 << 11;
  public static final int NO_AUTH = 1 << 12;
  public static final int MAY_REPLICATE = 1 << 13;
  public static final int NO_MULTI = 1 << 14;
  public static final int ALLOW_BUSY = 1 << 15;
  /**
   * Refused unless {@code enable-debug-command} allows it (DEBUG), as Redis's protected commands; like Redis 7.0,
   * COMMAND INFO does not list it.
   */
  public static final int PROTECTED = 1 << 16;
  /** The command may have no key arguments (EVAL with numkeys 0). */
  public static final int NO_MANDATORY_KEYS = 1 << 17;
  /** Key positions depend on the arguments (a numkeys argument): see {@link #keyNum}. */
  public static final int MOVABLEKEYS = 1 << 18;
  /** Refused while a replica loads its master's data asynchronously (MODULE LOAD...); listed by COMMAND INFO. */
  public static final int NO_ASYNC_LOADING = 1 << 19;

  static final String[] FLAG_NAMES = {
    "write", "readonly", "denyoom", "admin", "pubsub", "noscript", "blocking", "loading", "stale",
    "skip_monitor", "skip_slowlog", "fast", "no_auth", "", "no_multi", "allow_busy", "",
    "no_mandatory_keys", "movablekeys", "no_async_loading"
  };

  public final String name;
  public final String fullName;
  public final int arity;
  public final int flags;
  public final int firstKey;
  public final int lastKey;
  public final int step;
  public final String group;
  public final String summary;
  public final String since;
  final Handler handler;

  public Handler handler() {
    return handler;
  }
  final CommandSpec parent;
  Map<String, CommandSpec> subcommands;

  // INFO commandstats
  public long calls;
  public long micros;
  public long rejectedCalls;
  public long failedCalls;
  /** Latency distribution of successful and failed calls (INFO latencystats). */
  public final LatencyHistogram latency = new LatencyHistogram();

  CommandSpec(CommandSpec parent, String name, int arity, int flags, int firstKey, int lastKey, int step,
      String group, String since, String summary, Handler handler) {
    this.parent = parent;
    this.name = name;
    this.fullName = parent == null ? name : parent.name + "|" + name;
    this.arity = arity;
    this.flags = flags;
    this.firstKey = firstKey;
    this.lastKey = lastKey;
    this.step = step;
    this.group = group;
    this.since = since;
    this.summary = summary;
    this.handler = handler;
  }

  public boolean has(int flag) {
    return (flags & flag) != 0;
  }

  /** The flags a call's arguments give the command (a script's declared flags), or null: always {@link #flags}. */
  private ToIntFunction<Args> flagsOf;

  /**
   * The command's flags for this call, as Redis's getCommandFlags: a script that declares its flags is a write (or
   * not) as they say, whatever EVAL's or FCALL's own flags are.
   */
  public int flags(Args a) {
    return flagsOf == null ? flags : flagsOf.applyAsInt(a);
  }

  /** Declares that the call's arguments decide the command's flags (see {@link #flags(Args)}). */
  public CommandSpec flagsFrom(ToIntFunction<Args> f) {
    CommandSpec target = this;
    if (subcommands != null && !subcommands.isEmpty()) {
      for (CommandSpec sub : subcommands.values()) target = sub;
    }
    target.flagsOf = f;
    return this;
  }

  public boolean isContainer() {
    return subcommands != null;
  }

  public Map<String, CommandSpec> subcommands() {
    return subcommands == null ? Map.of() : subcommands;
  }

  public CommandSpec parent() {
    return parent;
  }

  /** Redis's arity rule: exact when positive, a minimum when negative. */
  public boolean arityOk(int argc) {
    return arity > 0 ? argc == arity : argc >= -arity;
  }

  public List<String> flagNames() {
    List<String> r = new ArrayList<>();
    for (int i = 0; i < FLAG_NAMES.length; i++) {
      if ((flags & (1 << i)) != 0 && !FLAG_NAMES[i].isEmpty()) r.add(FLAG_NAMES[i]);
    }
    return r;
  }

  /** A "keynum" key spec: the argument at {@code keyNumIndex} counts the keys that follow it; 0: none. */
  public int keyNumIndex;
  /** The key spec's flags as COMMAND INFO lists them (RW access update...), and its notes (or null). */
  public List<String> keySpecFlags = List.of();
  public String keySpecNotes;

  /** Command tips as COMMAND INFO lists them (request_policy:..., response_policy:...). */
  public List<String> tips = List.of();

  /** Sets the tips of the last declared subcommand (or of this command when it has none). */
  public CommandSpec tips(String... tips) {
    CommandSpec target = this;
    if (subcommands != null && !subcommands.isEmpty()) {
      for (CommandSpec sub : subcommands.values()) target = sub;
    }
    target.tips = List.of(tips);
    return this;
  }

  /** Declares a keynum key spec (EVAL, FCALL): numkeys at {@code index}, the keys right after it. */
  public CommandSpec keyNum(int index, String notes, String... specFlags) {
    keyNumIndex = index;
    keySpecNotes = notes;
    keySpecFlags = List.of(specFlags);
    return this;
  }

  /**
   * Sets the flags of the range key spec that first/last/step declare; {@code not_key} (shard channels) keeps the
   * spec in COMMAND INFO but names no keys.
   */
  public CommandSpec keySpecFlags(String... specFlags) {
    keySpecFlags = List.of(specFlags);
    return this;
  }

  /** The argument indexes that are keys, from the declared first/last/step (or the numkeys argument). */
  public List<Integer> keyIndexes(int argc) {
    List<Integer> r = new ArrayList<>();
    if (keyNumIndex > 0) return r; // needs the arguments: see keyIndexes(Args)
    if (keySpecFlags.contains("not_key")) return r;

    if (firstKey <= 0) return r;
    int last = lastKey < 0 ? argc + lastKey : lastKey;
    for (int i = firstKey; i <= last && i < argc; i += Math.max(1, step)) r.add(i);
    return r;
  }

  /** The key argument indexes of this call, numkeys read from the arguments when the spec says so. */
  public List<Integer> keyIndexes(Args a, int from) {
    if (keyNumIndex <= 0) return keyIndexes(a.count() - from);
    List<Integer> r = new ArrayList<>();
    long n;
    try {
      n = Long.parseLong(a.str(from + keyNumIndex));
    } catch (NumberFormatException e) {
      return r;
    }
    for (int i = 0; i < n && keyNumIndex + 1 + i < a.count() - from; i++) r.add(keyNumIndex + 1 + i);
    return r;
  }

  /** Declares subcommands of a container command. */
  public CommandSpec sub(String name, int arity, int flags, int firstKey, int lastKey, int step, String since,
      String summary, Handler h) {
    if (subcommands == null) subcommands = new LinkedHashMap<>();
    CommandSpec s = new CommandSpec(this, name, arity, flags, firstKey, lastKey, step, group,
        since, summary, h);
    subcommands.put(name, s);
    return this;
  }

  public void resetStats() {
    calls = micros = rejectedCalls = failedCalls = 0;
    latency.reset();
  }
}
