package dev.vireo.server;

import dev.vireo.resp.Args;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * One command as its family declares it: name, arity (negative = at least), flags, key positions (the legacy
 * first/last/step), handler, and for container commands (CONFIG, CLIENT...) the subcommands; the rest of what Redis's
 * command table says of it (documentation, tips, key specs, ACL categories) is its {@link CommandMeta}. Also holds
 * the command's statistics (INFO commandstats).
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
  /** Key positions depend on the arguments (also derived from the key specs: {@link CommandMeta#movableKeys}). */
  public static final int MOVABLEKEYS = 1 << 18;
  /** Refused while a replica loads its master's data asynchronously (MODULE LOAD...); listed by COMMAND INFO. */
  public static final int NO_ASYNC_LOADING = 1 << 19;

  /** The flags COMMAND INFO lists, in Redis's order (may_replicate and protected are not listed). */
  private static final int[] LISTED = {
    WRITE, READONLY, DENYOOM, ADMIN, PUBSUB, NOSCRIPT, BLOCKING, LOADING, STALE, SKIP_MONITOR, SKIP_SLOWLOG, FAST,
    NO_AUTH, NO_MANDATORY_KEYS, NO_ASYNC_LOADING, NO_MULTI, MOVABLEKEYS, ALLOW_BUSY
  };
  private static final String[] LISTED_NAMES = {
    "write", "readonly", "denyoom", "admin", "pubsub", "noscript", "blocking", "loading", "stale", "skip_monitor",
    "skip_slowlog", "fast", "no_auth", "no_mandatory_keys", "no_async_loading", "no_multi", "movablekeys",
    "allow_busy"
  };

  public final String name;
  public final String fullName;
  public final int arity;
  public final int flags;
  public final int firstKey;
  public final int lastKey;
  public final int step;
  /** What COMMAND DOCS shows only for a command {@link #meta()} does not describe (the description wins). */
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

  /** The flags COMMAND INFO lists; movablekeys also when the key specs say so, as Redis derives it. */
  public List<String> flagNames() {
    int f = flags;
    CommandMeta m = meta();
    if (m != null && m.movableKeys) f |= MOVABLEKEYS;
    List<String> r = new ArrayList<>();
    for (int i = 0; i < LISTED.length; i++) {
      if ((f & LISTED[i]) != 0) r.add(LISTED_NAMES[i]);
    }
    return r;
  }

  /** This command's {@link CommandMeta}, once looked up; {@link #NO_META} when nothing describes it. */
  private volatile Object meta;
  private static final Object NO_META = new Object();

  /**
   * The command's documentation, tips and key specs, by its own name (whatever {@code rename-command} did); null for
   * a command nothing describes. The descriptions are read on first use, not at start.
   */
  public CommandMeta meta() {
    Object m = meta;
    if (m == null) {
      CommandMeta found = CommandMeta.of(fullName);
      meta = m = found == null ? NO_META : found;
    }
    return m == NO_META ? null : (CommandMeta) m;
  }

  /** ACL categories in the order Redis lists them (the order of its category bits). */
  private static final List<String> CATEGORY_ORDER = List.of("@keyspace", "@read", "@write", "@set", "@sortedset",
      "@list", "@hash", "@string", "@bitmap", "@hyperloglog", "@geo", "@stream", "@pubsub", "@admin", "@fast",
      "@slow", "@blocking", "@dangerous", "@connection", "@transaction", "@scripting");

  /**
   * The command's ACL categories as Redis gives them: those its description names ({@code acl_categories}) and those
   * its flags imply (write: @write, readonly: @read unless @scripting, admin: @admin and @dangerous, pubsub, fast,
   * blocking; @slow when not @fast).
   */
  public List<String> aclCategories() {
    CommandMeta m = meta();
    Set<String> cats = new HashSet<>(m == null ? List.of() : m.aclCategories);
    if (has(WRITE)) cats.add("@write");
    if (has(READONLY) && !cats.contains("@scripting")) cats.add("@read");
    if (has(ADMIN)) {
      cats.add("@admin");
      cats.add("@dangerous");
    }
    if (has(PUBSUB)) cats.add("@pubsub");
    if (has(BLOCKING)) cats.add("@blocking");
    cats.add(has(FAST) ? "@fast" : "@slow");
    List<String> r = new ArrayList<>(cats.size());
    for (String c : CATEGORY_ORDER) {
      if (cats.contains(c)) r.add(c);
    }
    return r;
  }

  /** The argument indexes that are keys by the declared first/last/step (none for a command of channels). */
  public List<Integer> keyIndexes(int argc) {
    List<Integer> r = new ArrayList<>();
    if (firstKey <= 0 || has(PUBSUB)) return r; // a shard channel command's "keys" are channels
    int last = lastKey < 0 ? argc + lastKey : lastKey;
    for (int i = firstKey; i <= last && i < argc; i += Math.max(1, step)) r.add(i);
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
