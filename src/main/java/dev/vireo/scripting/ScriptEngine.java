package dev.vireo.scripting;

import dev.vireo.persistence.rdb.DumpPayload;
import dev.vireo.persistence.rdb.RdbException;
import dev.vireo.resp.Args;
import dev.vireo.resp.Errors;
import dev.vireo.resp.CommandError;
import dev.vireo.resp.RespWriter;
import dev.vireo.server.AccessControl;
import dev.vireo.server.Busy;
import dev.vireo.server.Client;
import dev.vireo.server.CommandSpec;
import dev.vireo.server.Dispatcher;
import dev.vireo.server.ReplicaRole;
import dev.vireo.server.ScriptInfo;
import dev.vireo.server.Server;
import dev.vireo.server.Tracking;
import dev.vireo.store.Db;
import dev.vireo.util.Glob;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import party.iroiro.luajava.Lua;

/**
 * Scripts and functions as Redis 7.0 runs them: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT LOAD | EXISTS | FLUSH
 * | KILL; FUNCTION LOAD | DELETE | FLUSH | LIST | STATS | KILL | DUMP | RESTORE and FCALL, FCALL_RO. The script cache
 * (sha1 to body, flags and the compiled function's reference) and the function libraries (names, flags, code)
 * belong to the data loop; compiling, loading and running happen on the {@link ScriptThread}, in the two Lua
 * states (scripts, functions) this class owns there. Data loop entry points; the {@link Run} is the bridge the
 * script thread calls into. Implements the data loop's {@link ScriptInfo}: INFO's numbers, the libraries an RDB
 * carries, closing with the node.
 */
public final class ScriptEngine implements ScriptInfo {
  /** A cached script: its body, flags, and once compiled its function in the Lua registry. */
  private static final class Script {
    final String sha;
    final byte[] body;
    final Shebang shebang;
    /** Lua registry reference of the compiled function; 0 until compiled (written on the script thread). */
    int ref;

    Script(String sha, byte[] body, Shebang shebang) {
      this.sha = sha;
      this.body = body;
      this.shebang = shebang;
    }
  }

  private final Server server;
  private final Map<String, Script> cache = new HashMap<>();
  private long cacheBodyBytes;
  private ScriptThread thread;
  /** Created on the script thread by the first task; never touched elsewhere. */
  private LuaRuntime lua;
  /** The functions' Lua state (FUNCTION LOAD, FCALL), on the script thread too. */
  private LuaRuntime fnLua;
  private Client scriptClient;
  /** The run past the threshold (busy mode), or null. */
  private Run detached;
  /** Lua's memory after the last run, read by INFO (written on the script thread). */
  private volatile long luaMemory = 32 * 1024;
  /** Script thread: runs since start (Lua's memory is sampled every 64) and the writer results are encoded in. */
  private long runs;
  private final RespWriter resultWriter = new RespWriter();

  public ScriptEngine(Server server) {
    this.server = server;
    server.scriptInfo(this);
  }

  // ---------------------------------------------------------------- commands (data loop)

  /** EVAL script numkeys [key ...] [arg ...], and its EVALSHA and read-only variants. */
  public void eval(Client c, Args a, boolean bySha, boolean readOnlyCommand) {
    long numkeys = a.longArg(2); // Redis's integers: no "+1", "-0" or "007"
    if (numkeys > a.count() - 3) throw new CommandError("ERR Number of keys can't be greater than number of args");
    if (numkeys < 0) throw new CommandError("ERR Number of keys can't be negative");
    Script s;
    if (bySha) {
      s = a.len(1) == 40 ? cache.get(a.str(1).toLowerCase(Locale.ROOT)) : null;
      if (s == null) throw new CommandError("NOSCRIPT No matching script. Please use EVAL.");
    } else {
      byte[] body = a.bytes(1);
      String sha = LuaRuntime.sha1hex(body);
      s = cache.get(sha);
      boolean queueable = server.dispatcher.queueable(c);
      // queued earlier in this batch: compiled once, by its first run
      if (s == null && queueable) s = uncached.get(sha);
      if (s == null) {
        s = new Script(sha, body, Shebang.parse(body));
        if (queueable) uncached.put(sha, s);
      }
    }
    Shebang sb = s.shebang;
    if (sb.present() && !sb.noWrites()) {
      if (server.replicaRole().isReplica() && server.config.getBool("replica-read-only") && !c.master) {
        // a script that may write counts as a write command, refused as such
        throw CommandError.rejected("READONLY You can't write against a read only replica.");
      }
      if (readOnlyCommand) throw new CommandError("ERR Can not execute a script with write flag using *_ro command.");
    }
    if (sb.present() && !sb.noWrites() && !sb.allowOom()) refuseWhenOutOfMemory(c);
    boolean stale = staleFor(c);
    if (stale && !sb.allowStale()) throw CommandError.rejected(MASTERDOWN);
    int k = (int) numkeys;
    byte[][] keys = new byte[k][];
    byte[][] argv = new byte[a.count() - 3 - k][];
    for (int i = 0; i < k; i++) keys[i] = a.bytes(3 + i);
    for (int i = 0; i < argv.length; i++) argv[i] = a.bytes(3 + k + i);
    Run run = new Run(s, keys, argv, readOnlyCommand || sb.noWrites(), c.out.proto(), c.db);
    run.caller = c;
    run.trackedKeys = Tracking.scriptKeys(c, keys);
    run.stale = stale;
    run.allowOom = sb.allowOom();
    if (server.dispatcher.hasMonitors()) {
      // as Redis: MONITOR shows the EVAL before it runs, then its commands as client "lua"
      server.dispatcher.feedMonitors(List.of(Dispatcher.monitorLine(Dispatcher.monitorMicros(), c.db.index, c.addr,
          a, c.lastCommand)));
      run.monitorLines = new ArrayList<>();
    }
    execute(c, run);
  }

  private static final String MASTERDOWN =
      "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";

  /**
   * A replica whose link is down with {@code replica-serve-stale-data no}: as in Redis 7.0, a script or function
   * runs there only with the {@code allow-stale} flag (an EVAL without shebang is refused too), and then calls
   * only commands flagged {@code stale}.
   */
  /**
   * A script that declares its flags, without no-writes or allow-oom, may add memory: above maxmemory it does not
   * start, as a denyoom command would not.
   */
  private void refuseWhenOutOfMemory(Client c) {
    if (server.memory.maxmemory() > 0 && server.dispatcher.scriptOutOfMemory() && !c.master) {
      throw CommandError.rejected(Errors.OOM);
    }
  }

  private boolean staleFor(Client c) {
    ReplicaRole role = server.replicaRole();
    return role.isReplica() && !c.master && !role.linkUp() && !server.config.getBool("replica-serve-stale-data");
  }

  /** Runs on the script thread; finishes inline, or in busy mode when the threshold passes. */
  private void execute(Client c, Run run) {
    execute(c, run, Busy.EVAL_REPLY);
  }

  private void execute(Client c, Run run, String busyReply) {
    if (thread == null) start();
    Dispatcher d = server.dispatcher;
    if (d.queueable(c)) {
      // run with the client's following script commands, in one handover (Client.processInput decides when)
      queued.add(new Queued(c, run, d.queue(c, runQueued), busyReply));
      return;
    }
    // a script inside MULTI/EXEC or from the master's link runs to its end: they cannot be suspended
    boolean detachable = !c.executingTransaction && !c.master;
    Dispatcher.Suspension suspension = detachable ? d.suspend(c) : null;
    Context ctx = Vertx.currentContext();
    long threshold = server.config.getLong("busy-reply-threshold");
    boolean ended = thread.runAndWait(run, threshold, ctx, detachable ? () -> endDetached(run, suspension) : null);
    if (ended) {
      if (suspension != null) d.cancelSuspension(suspension);
      finish(run);
      if (run.monitorLines != null) d.feedMonitors(run.monitorLines);
      if (run.error != null) throw new CommandError(run.error);
      d.scriptErrorReplies(run.errorReplies);
      c.out.raw(run.reply);
      return;
    }
    detached = run;
    server.busy.enter(busyReply);
    server.log.warn("Slow script detected: still in execution after " + threshold
        + " milliseconds. You can try killing the script using the SCRIPT KILL command. Script name is: "
        + run.label() + ".");
    server.stats.busyScripts++;
  }

  // ---------------------------------------------------------------- batches (data loop)

  /** A script command queued for the next handover: its run, the suspended command, its -BUSY text. */
  private record Queued(Client client, Run run, Dispatcher.Suspension suspension, String busyReply) {}

  /** The script commands queued since the last handover, in the order they were read. */
  private List<Queued> queued = new ArrayList<>();
  /** EVALs of scripts not in the cache yet, queued in this batch: one compile serves them all. */
  private final Map<String, Script> uncached = new HashMap<>();
  private final Runnable runQueued = this::runQueued;

  private void runQueued() {
    List<Queued> batch = queued;
    queued = new ArrayList<>();
    uncached.clear();
    runBatch(batch);
  }

  /**
   * Hands the keyspace over once for every run of {@code batch}: the script thread runs them one after the other
   * (each atomic; the data loop waits meanwhile, so nothing interleaves), then each command ends here in order
   * (reply, effects propagated, statistics) exactly as if each had run inline. A run past the threshold detaches
   * the batch as a single script would: busy mode until it ends, then the runs before and including it complete,
   * and the runs after it are handed over again.
   */
  private void runBatch(List<Queued> batch) {
    Batch task = new Batch(batch);
    long threshold = server.config.getLong("busy-reply-threshold");
    if (thread.runAndWait(task, threshold, Vertx.currentContext(), () -> endDetachedBatch(task))) {
      completeBatch(batch, batch.size());
      return;
    }
    Queued q = batch.get(task.detachedPart);
    detached = q.run();
    // every client with a run in the batch waits: its replies must stay in order
    for (Queued each : batch) server.dispatcher.holdForScript(each.client());
    server.busy.enter(q.busyReply());
    server.log.warn("Slow script detected: still in execution after " + threshold
        + " milliseconds. You can try killing the script using the SCRIPT KILL command. Script name is: "
        + q.run().label() + ".");
    server.stats.busyScripts++;
  }

  /** The first {@code n} runs of {@code batch} ended: their commands end in order (data loop, keyspace back). */
  private void completeBatch(List<Queued> batch, int n) {
    for (int i = 0; i < n; i++) {
      Queued q = batch.get(i);
      Run run = q.run();
      finish(run);
      server.dispatcher.completeQueued(q.suspension(), run.reply, run.error, run.nanos, run.errorReplies);
    }
  }

  /** The busy run of a batch ended: complete it and those before it, then hand over the rest (data loop). */
  private void endDetachedBatch(Batch task) {
    detached = null;
    List<Queued> batch = task.runs;
    int k = task.detachedPart;
    if (batch.get(k).run().killed) {
      server.log.warn("Script killed by user with SCRIPT KILL.");
      server.stats.killedScripts++;
    }
    completeBatch(batch, k + 1);
    List<Queued> rest = batch.subList(k + 1, batch.size());
    server.dispatcher.resumeAfterBusy(rest.isEmpty() ? null : () -> runBatch(rest));
  }

  /** The task of one handover: the runs of a batch, each opened and closed as its command's call. */
  private final class Batch extends ScriptThread.Task {
    final List<Queued> runs;

    Batch(List<Queued> runs) {
      this.runs = runs;
    }

    @Override
    int parts() {
      return runs.size();
    }

    @Override
    void run(int part) {
      Queued q = runs.get(part);
      Dispatcher d = server.dispatcher;
      d.enterQueued();
      try {
        q.run().run();
      } finally {
        d.leaveQueued(q.suspension());
      }
    }

    @Override
    void run() {
      // only in parts
    }
  }

  /** The detached run ended: reply, propagate, and leave busy mode (data loop). */
  private void endDetached(Run run, Dispatcher.Suspension suspension) {
    detached = null;
    finish(run);
    if (run.monitorLines != null) server.dispatcher.feedMonitors(run.monitorLines);
    if (run.killed) {
      server.log.warn("Script killed by user with SCRIPT KILL.");
      server.stats.killedScripts++;
    }
    if (run.error == null) server.dispatcher.scriptErrorReplies(run.errorReplies);
    server.dispatcher.resume(suspension, run.reply, run.error);
  }

  /**
   * EVAL's flags for this call, as Redis's getCommandFlags computes them: a script that declares flags (its shebang)
   * is a write, needs memory or may run stale as they say; a script without, or one not known (EVALSHA of a missing
   * or malformed sha, a shebang that does not parse), has the command's own flags.
   */
  public int evalFlags(int cmdFlags, Args a, boolean bySha) {
    Script s;
    if (bySha) {
      s = a.len(1) == 40 ? cache.get(a.str(1).toLowerCase(Locale.ROOT)) : null;
      if (s == null) return cmdFlags;
      return declaredFlags(cmdFlags, s.shebang);
    }
    byte[] body = a.bytes(1);
    s = cache.get(LuaRuntime.sha1hex(body));
    if (s != null) return declaredFlags(cmdFlags, s.shebang);
    try {
      return declaredFlags(cmdFlags, Shebang.parse(body));
    } catch (CommandError e) {
      return cmdFlags;
    }
  }

  /** FCALL's flags for this call: the function's declared flags, or the command's own for an unknown function. */
  public int fcallFlags(int cmdFlags, Args a) {
    Function f = functions.get(a.str(1));
    if (f == null) return cmdFlags;
    return declaredFlags(cmdFlags, f.noWrites(), f.flags().contains("allow-oom"), f.flags().contains("allow-stale"));
  }

  private static int declaredFlags(int cmdFlags, Shebang sb) {
    if (!sb.present()) return cmdFlags;
    return declaredFlags(cmdFlags, sb.noWrites(), sb.allowOom(), sb.allowStale());
  }

  private static int declaredFlags(int cmdFlags, boolean noWrites, boolean allowOom, boolean allowStale) {
    int f = cmdFlags & ~(CommandSpec.STALE | CommandSpec.DENYOOM | CommandSpec.WRITE | CommandSpec.MAY_REPLICATE);
    if (!noWrites && !allowOom) f |= CommandSpec.DENYOOM;
    if (!noWrites) f |= CommandSpec.WRITE;
    if (allowStale) f |= CommandSpec.STALE;
    return f;
  }

  /** Back on the data loop: a newly compiled script enters the cache. */
  private void finish(Run run) {
    Script s = run.script;
    if (s == null) return;
    if (s.ref != 0 && !cache.containsKey(s.sha)) {
      cache.put(s.sha, s);
      cacheBodyBytes += s.body.length;
    }
  }

  // ---------------------------------------------------------------- functions (data loop)

  /** A function of a library: its flags and description as registered. */
  private record Function(String library, String name, List<String> flags, String description) {
    boolean noWrites() {
      return flags.contains("no-writes");
    }
  }

  /** A loaded library: its code and its functions, in registration order. */
  private record Library(String name, byte[] code, List<Function> functions) {}

  private final Map<String, Library> libraries = new LinkedHashMap<>();
  private final Map<String, Function> functions = new HashMap<>();

  /** FUNCTION LOAD [REPLACE] code: replies with the library's name. */
  public void functionLoad(Client c, Args a) {
    boolean replace = false;
    int i = 2;
    for (; i < a.count() - 1; i++) {
      if (a.is(i, "replace")) replace = true;
      else throw new CommandError("ERR Unknown option given: " + a.echo(i));
    }
    if (i != a.count() - 1) throw new CommandError("ERR Function code was not given");
    String name = loadLibrary(a.bytes(i), replace);
    server.addDirty(1);
    c.out.bulk(name);
  }

  /** Loads (or with {@code replace} replaces) a library; returns its name or throws Redis's error. */
  private String loadLibrary(byte[] code, boolean replace) {
    String name = libraryName(code);
    if (libraries.containsKey(name) && !replace) throw new CommandError("ERR Library '" + name + "' already exists");
    Library lib = compileLibrary(code, name);
    try {
      for (Function f : lib.functions()) {
        Function existing = functions.get(f.name());
        if (existing != null && !existing.library().equals(name)) {
          throw new CommandError("ERR Function " + f.name() + " already exists");
        }
      }
    } catch (CommandError e) {
      discardCompiled();
      throw e;
    }
    install(lib);
    return name;
  }

  /**
   * Runs a library's code in the functions state and returns what it registered, without making it current: until
   * {@link #install} (or {@link #discardCompiled}) the library waits aside, and the current ones are untouched.
   */
  private Library compileLibrary(byte[] code, String name) {
    if (thread == null) start();
    byte[] body = withoutShebang(code);
    List<Function> loaded = new ArrayList<>();
    String[] error = new String[1];
    thread.runAndWait(new ScriptThread.Task() {
      @Override
      void run() {
        Lua L = fnLua.L;
        try {
          fnLua.loadLibrary(body, name);
          int status = (int) L.toNumber(-2);
          if (status == 1) {
            error[0] = "ERR Error compiling function: " + LuaStrings.string(L, -1);
          } else if (status == 2) {
            error[0] = L.isNil(-1) ? "ERR No functions registered"
                : "ERR Error registering functions: " + LuaStrings.string(L, -1);
          } else {
            int n = L.rawLength(-1);
            for (int k = 1; k <= n; k++) {
              L.rawGetI(-1, k);
              L.rawGetI(-1, 1);
              String fname = LuaStrings.string(L, -1);
              L.pop(1);
              L.rawGetI(-1, 2);
              List<String> flags = new ArrayList<>();
              for (int f = 1; f <= L.rawLength(-1); f++) {
                L.rawGetI(-1, f);
                flags.add(LuaStrings.string(L, -1));
                L.pop(1);
              }
              L.pop(1);
              L.rawGetI(-1, 3);
              String desc = L.isString(-1) ? LuaStrings.string(L, -1) : null;
              L.pop(2);
              loaded.add(new Function(name, fname, flags, desc));
            }
          }
        } catch (RuntimeException e) {
          error[0] = "ERR Error registering functions: " + e.getMessage();
        } finally {
          L.setTop(0);
        }
      }
    }, 0, null, null);
    if (error[0] != null) {
      discardCompiled();
      throw new CommandError(Replies.oneLine(error[0]));
    }
    return new Library(name, code, loaded);
  }

  /** Makes a compiled library current, in place of the one of its name if any. */
  private void install(Library lib) {
    onScriptThread(() -> fnLua.installLibrary(lib.name()));
    Library old = libraries.put(lib.name(), lib);
    if (old != null) for (Function f : old.functions()) functions.remove(f.name());
    for (Function f : lib.functions()) functions.put(f.name(), f);
  }

  /** Forgets the compiled libraries not installed. */
  private void discardCompiled() {
    onScriptThread(() -> fnLua.installLibrary(null));
  }

  @Override
  public List<byte[]> libraryCodes() {
    List<byte[]> r = new ArrayList<>();
    for (Library lib : libraries.values()) r.add(lib.code());
    return r;
  }

  @Override
  public void replaceLibraries(List<byte[]> codes) {
    if (codes.isEmpty() && libraries.isEmpty()) return;
    libraries.clear();
    functions.clear();
    if (thread != null) onScriptThread(() -> fnLua.removeLibrary(null));
    for (byte[] code : codes) {
      try {
        loadLibrary(code, true);
      } catch (CommandError e) {
        server.log.warn("Failed loading library from the RDB: " + e.getMessage());
      }
    }
  }

  /** The library name of a {@code #!lua name=<lib>} shebang, with Redis's errors. */
  private static String libraryName(byte[] code) {
    if (code.length < 2 || code[0] != '#' || code[1] != '!') throw new CommandError("ERR Missing library metadata");
    int end = 0;
    while (end < code.length && code[end] != '\n') end++;
    String[] parts = new String(code, 2, end - 2, StandardCharsets.ISO_8859_1).split(" ");
    if (!parts[0].equals("lua")) throw new CommandError("ERR Engine '" + parts[0] + "' not found");
    String name = null;
    for (int i = 1; i < parts.length; i++) {
      if (parts[i].startsWith("name=")) name = parts[i].substring(5);
      else if (!parts[i].isEmpty()) throw new CommandError("ERR Invalid metadata value given: " + parts[i]);
    }
    if (name == null) throw new CommandError("ERR Library name was not given");
    if (!name.matches("[A-Za-z0-9_]+")) {
      throw new CommandError("ERR Library names can only contain letters, numbers, or underscores(_) and must be "
          + "at least one character long");
    }
    return name;
  }

  private void onScriptThread(Runnable r) {
    thread.runAndWait(new ScriptThread.Task() {
      @Override
      void run() {
        r.run();
      }
    }, 0, null, null);
  }

  /** FCALL function numkeys [key ...] [arg ...], and FCALL_RO. */
  public void fcall(Client c, Args a, boolean readOnlyCommand) {
    Function f = functions.get(a.str(1));
    if (f == null) throw new CommandError("ERR Function not found");
    long numkeys = a.longArg(2, "ERR Bad number of keys provided");
    if (numkeys > a.count() - 3) throw new CommandError("ERR Number of keys can't be greater than number of args");
    if (numkeys < 0) throw new CommandError("ERR Number of keys can't be negative");
    if (!f.noWrites()) {
      if (server.replicaRole().isReplica() && server.config.getBool("replica-read-only") && !c.master) {
        throw CommandError.rejected("READONLY You can't write against a read only replica.");
      }
      if (readOnlyCommand) throw new CommandError("ERR Can not execute a script with write flag using *_ro command.");
    }
    if (!f.noWrites() && !f.flags().contains("allow-oom")) refuseWhenOutOfMemory(c);
    boolean stale = staleFor(c);
    if (stale && !f.flags().contains("allow-stale")) throw CommandError.rejected(MASTERDOWN);
    int k = (int) numkeys;
    byte[][] keys = new byte[k][];
    byte[][] args = new byte[a.count() - 3 - k][];
    for (int i = 0; i < k; i++) keys[i] = a.bytes(3 + i);
    for (int i = 0; i < args.length; i++) args[i] = a.bytes(3 + k + i);
    Run run = new Run(null, keys, args, readOnlyCommand || f.noWrites(), c.out.proto(), c.db);
    run.caller = c;
    run.trackedKeys = Tracking.scriptKeys(c, keys);
    run.fnLib = f.library();
    run.stale = stale;
    run.allowOom = f.flags().contains("allow-oom");
    run.fnName = f.name();
    run.command = a.toArray();
    if (thread == null) start();
    execute(c, run, Busy.FUNCTION_REPLY);
  }

  /** FUNCTION DUMP: every library as a payload FUNCTION RESTORE (here or in Redis) takes. */
  public void functionDump(Client c) {
    c.out.bulk(DumpPayload.encodeFunctions(libraryCodes(), server.config.getBool("rdbcompression")));
  }

  /** FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE]. */
  public void functionRestore(Client c, Args a) {
    String policy = a.count() > 3 ? a.lower(3) : "append";
    if (a.count() > 4 || !(policy.equals("flush") || policy.equals("append") || policy.equals("replace"))) {
      throw new CommandError("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
    }
    List<byte[]> codes;
    try {
      codes = DumpPayload.decodeFunctions(a.bytes(2));
    } catch (RdbException e) {
      throw new CommandError(e.getMessage());
    }
    // as Redis 7.0: every library is loaded aside first, then joined to the current ones (or replaces them all);
    // any error leaves the current libraries as they were
    boolean replace = policy.equals("replace");
    List<Library> loaded = new ArrayList<>();
    try {
      Map<String, String> owners = new HashMap<>();
      for (byte[] code : codes) {
        String name = libraryName(code);
        for (Library l : loaded) {
          if (l.name().equals(name)) throw new CommandError("ERR Library '" + name + "' already exists");
        }
        Library lib = compileLibrary(code, name);
        loaded.add(lib);
        for (Function f : lib.functions()) {
          if (owners.putIfAbsent(f.name(), name) != null) {
            throw new CommandError("ERR Function " + f.name() + " already exists");
          }
        }
      }
      if (!policy.equals("flush")) {
        for (Library lib : loaded) {
          if (!replace && libraries.containsKey(lib.name())) {
            throw new CommandError("ERR Library " + lib.name() + " already exists");
          }
        }
        for (Library lib : loaded) {
          for (Function f : lib.functions()) {
            Function existing = functions.get(f.name());
            if (existing != null && !(replace && loaded.stream().anyMatch(l -> l.name().equals(existing.library())))) {
              throw new CommandError("ERR Function " + f.name() + " already exists");
            }
          }
        }
      }
    } catch (CommandError e) {
      if (!loaded.isEmpty()) discardCompiled();
      throw e;
    }
    if (policy.equals("flush")) {
      libraries.clear();
      functions.clear();
      if (thread != null) onScriptThread(() -> fnLua.removeLibrary(null));
    }
    for (Library lib : loaded) install(lib);
    server.addDirty(1);
    c.out.ok();
  }

  /** FUNCTION DELETE library-name. */
  public void functionDelete(Client c, Args a) {
    Library lib = libraries.remove(a.str(2));
    if (lib == null) throw new CommandError("ERR Library not found");
    for (Function f : lib.functions()) functions.remove(f.name());
    onScriptThread(() -> fnLua.removeLibrary(lib.name()));
    server.addDirty(1);
    c.out.ok();
  }

  /** FUNCTION FLUSH [ASYNC|SYNC]. */
  public void functionFlush(Client c) {
    libraries.clear();
    functions.clear();
    if (thread != null) onScriptThread(() -> fnLua.removeLibrary(null));
    server.addDirty(1);
    c.out.ok();
  }

  /** FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE]. */
  public void functionList(Client c, Args a) {
    String pattern = null;
    boolean withCode = false;
    for (int i = 2; i < a.count(); i++) {
      if (a.is(i, "withcode") && !withCode) {
        withCode = true;
      } else if (a.is(i, "libraryname") && pattern == null) {
        if (i + 1 >= a.count()) throw new CommandError("ERR library name argument was not given");
        pattern = a.str(++i);
      } else {
        throw new CommandError("ERR Unknown argument " + a.echo(i));
      }
    }
    List<Library> shown = new ArrayList<>();
    for (Library lib : libraries.values()) {
      if (pattern == null || Glob.match(pattern, lib.name(), false)) shown.add(lib);
    }
    c.out.array(shown.size());
    for (Library lib : shown) {
      c.out.map(withCode ? 4 : 3);
      c.out.bulk("library_name").bulk(lib.name());
      c.out.bulk("engine").bulk("LUA");
      c.out.bulk("functions").array(lib.functions().size());
      for (Function f : lib.functions()) {
        c.out.map(3);
        c.out.bulk("name").bulk(f.name());
        c.out.bulk("description");
        if (f.description() == null) nullReply(c);
        else c.out.bulk(f.description());
        c.out.bulk("flags").set(f.flags().size());
        for (String flag : f.flags()) c.out.simple(flag);
      }
      if (withCode) c.out.bulk("library_code").bulk(lib.code());
    }
  }

  private static void nullReply(Client c) {
    if (c.out.proto() == 3) c.out.raw(RespWriter.ascii("_\r\n"));
    else c.out.nullBulk();
  }

  /** FUNCTION STATS: the running function (while busy) and the engine's counts. */
  public void functionStats(Client c) {
    Run r = detached;
    c.out.map(2);
    c.out.bulk("running_script");
    if (r == null || r.fnName == null) {
      nullReply(c);
    } else {
      c.out.map(3);
      c.out.bulk("name").bulk(r.fnName);
      c.out.bulk("command").array(r.command.length);
      for (byte[] arg : r.command) c.out.bulk(arg);
      c.out.bulk("duration_ms").integer((System.nanoTime() - r.startNanos) / 1_000_000);
    }
    c.out.bulk("engines").map(1).bulk("LUA").map(2);
    c.out.bulk("libraries_count").integer(libraries.size());
    c.out.bulk("functions_count").integer(functions.size());
  }

  @Override
  public long functions() {
    return functions.size();
  }

  @Override
  public long libraries() {
    return libraries.size();
  }

  /** SCRIPT LOAD script: compiles and caches; replies with the sha1. */
  public void load(Client c, Args a) {
    byte[] body = a.bytes(2);
    String sha = LuaRuntime.sha1hex(body);
    Script s = cache.get(sha);
    if (s == null) {
      s = new Script(sha, body, Shebang.parse(body));
      Run compile = new Run(s, null, null, false, 2, c.db);
      if (thread == null) start();
      thread.runAndWait(compile, 0, null, null);
      finish(compile);
      if (compile.error != null) throw new CommandError(compile.error);
    }
    c.out.bulk(sha);
  }

  /** SCRIPT EXISTS sha1 [sha1 ...]. */
  public void exists(Client c, Args a) {
    c.out.array(a.count() - 2);
    for (int i = 2; i < a.count(); i++) {
      c.out.integer(a.len(i) == 40 && cache.containsKey(a.str(i).toLowerCase(Locale.ROOT)) ? 1 : 0);
    }
  }

  /** SCRIPT FLUSH: forgets every script and starts a fresh Lua state, as Redis does. */
  public void flush(Client c) {
    cache.clear();
    uncached.clear();
    cacheBodyBytes = 0;
    if (thread != null) {
      ScriptThread.Task reset = new ScriptThread.Task() {
        @Override
        void run() {
          if (lua != null) lua.close();
          lua = new LuaRuntime(false);
          luaMemory = memory();
        }
      };
      thread.runAndWait(reset, 0, null, null);
    }
    c.out.ok();
  }

  /** SCRIPT KILL / FUNCTION KILL: allowed while busy; stops a script (function) that has not written. */
  public void kill(Client c, boolean function) {
    Run r = detached;
    if (r == null) throw new CommandError("NOTBUSY No scripts in execution right now.");
    if (function && r.fnName == null) {
      throw new CommandError("BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.");
    }
    if (!function && r.fnName != null) {
      throw new CommandError(
          "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.");
    }
    if (r.wrote) {
      throw new CommandError("UNKILLABLE Sorry the script already executed write commands against the dataset. "
          + "You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE "
          + "command.");
    }
    r.killed = true;
    c.out.ok();
  }

  /** The node stops: the Lua state is closed on its thread and the thread ends (a running script is abandoned). */
  @Override
  public void close() {
    if (thread == null || detached != null) return; // a detached script keeps its daemon thread until exit
    thread.stop(new ScriptThread.Task() {
      @Override
      void run() {
        if (lua != null) lua.close();
        if (fnLua != null) fnLua.close();
        lua = null;
        fnLua = null;
      }
    });
    thread = null;
  }

  @Override
  public long cachedScripts() {
    return cache.size();
  }

  @Override
  public long scriptsMemory() {
    return cacheBodyBytes + cache.size() * 64L;
  }

  @Override
  public long vmMemory() {
    return luaMemory;
  }

  /** The body Lua compiles: the shebang line goes, its line feed stays (line numbers are the user's). */
  private static byte[] withoutShebang(byte[] body) {
    if (body.length < 2 || body[0] != '#' || body[1] != '!') return body;
    int nl = 0;
    while (nl < body.length && body[nl] != '\n') nl++;
    return Arrays.copyOfRange(body, nl, body.length);
  }

  /**
   * Starts the script thread and creates the Lua state there before the first script, so that a script's time
   * against busy-reply-threshold is its own, not the loading of Lua.
   */
  private void start() {
    scriptClient = server.clients.newScriptClient();
    thread = new ScriptThread();
    thread.runAndWait(new ScriptThread.Task() {
      @Override
      void run() {
        lua = new LuaRuntime(false);
        fnLua = new LuaRuntime(true);
        luaMemory = memory();
      }
    }, 0, null, null);
  }

  private long memory() {
    lua.L.getGlobal("collectgarbage");
    lua.L.push("count");
    lua.L.pCall(1, 1);
    long kb = (long) (lua.L.toNumber(-1) * 1024);
    lua.L.setTop(0);
    return kb;
  }

  // ---------------------------------------------------------------- the run (script thread)

  /** One script run: its inputs, the bridge redis.* calls into, and its outputs. */
  private final class Run extends ScriptThread.Task implements Bridge {
    final Script script;
    final byte[][] keys;
    final byte[][] argv;
    final boolean readOnly;
    final int callerProto;
    /** Run on a stale replica (allow-stale): commands without the stale flag are refused. */
    boolean stale;
    /** Declared allow-oom: its commands run above maxmemory too. */
    boolean allowOom;
    /** Set by SCRIPT KILL on the data loop, read by the count hook. */
    volatile boolean killed;
    /** A write command ran: SCRIPT KILL is refused from then on. */
    volatile boolean wrote;
    int resp = 2;
    /** MONITOR lines of the script's commands, fed on the data loop when it ends; null without monitors. */
    List<String> monitorLines;
    byte[] reply;
    String error;
    /** Error replies the script's value holds that no command counted (error_reply, {err=...}). */
    final List<String> errorReplies = new ArrayList<>();

    /** FCALL: the function's library and name (null for a script). */
    String fnLib;
    String fnName;
    /** FCALL's arguments, as FUNCTION STATS shows them. */
    byte[][] command;
    /** When the run started (script thread; FUNCTION STATS reads it while busy) and how long it took. */
    volatile long startNanos = System.nanoTime();
    long nanos;
    /** The caller's database, the script client's while the script runs. */
    final Db db;
    /** The client that ran the script: its ACL user's permissions apply to its commands; NOLOOP; and the keys its
     * reads track for it, decided when it was called. */
    Client caller;
    byte[][] trackedKeys;

    Run(Script script, byte[][] keys, byte[][] argv, boolean readOnly, int callerProto, Db db) {
      this.script = script;
      this.keys = keys;
      this.argv = argv;
      this.readOnly = readOnly;
      this.callerProto = callerProto;
      this.db = db;
    }

    /** What error texts name: the script's sha1 or the function's name. */
    String label() {
      return fnName != null ? fnName : script.sha;
    }

    @Override
    void run() {
      long t0 = System.nanoTime();
      startNanos = t0;
      scriptClient.db = db;
      scriptClient.scriptCaller = caller;
      scriptClient.scriptKeys = trackedKeys;
      try {
        if (fnName != null) runFunction();
        else runScript();
      } finally {
        nanos = System.nanoTime() - t0;
        scriptClient.scriptCaller = null;
        scriptClient.scriptKeys = null;
      }
    }

    private void runScript() {
      if (lua == null) lua = new LuaRuntime(false);
      Lua L = lua.L;
      try {
        if (script.ref == 0) {
          int[] ref = new int[1];
          String err = lua.compile(withoutShebang(script.body), ref);
          if (err != null) {
            error = "ERR Error compiling script (new function): " + Replies.oneLine(err);
            return;
          }
          script.ref = ref[0];
        }
        if (keys == null) return; // SCRIPT LOAD: compiled only
        table(L, keys);
        L.setGlobal("KEYS");
        table(L, argv);
        L.setGlobal("ARGV");
        scriptClient.out.proto(2);
        scriptClient.out.truncate(0);
        lua.bridge = this;
        lua.run(script.ref);
        takeResult(L);
      } catch (RuntimeException e) {
        error = "ERR Error running script: " + e.getMessage();
      } finally {
        lua.bridge = null;
        server.dispatcher.propagationSuppressed(false);
        L.setTop(0);
        if ((++runs & 63) == 0) luaMemory = memory();
      }
    }

    private void runFunction() {
      Lua L = fnLua.L;
      try {
        scriptClient.out.proto(2);
        scriptClient.out.truncate(0);
        fnLua.bridge = this;
        fnLua.callFunction(fnLib, fnName, keys, argv);
        takeResult(L);
      } catch (RuntimeException e) {
        error = "ERR Error running function: " + e.getMessage();
      } finally {
        fnLua.bridge = null;
        server.dispatcher.propagationSuppressed(false);
        L.setTop(0);
      }
    }

    /**
     * What a protected call left on the stack (success flag, then the value or the error): the reply converted to
     * the caller's protocol, or Redis's error text.
     */
    private void takeResult(Lua L) {
      boolean ok = L.toBoolean(-2);
      RespWriter out = resultWriter;
      out.truncate(0);
      out.proto(callerProto);
      if (ok) {
        Replies.write(L, out, resp, errorReplies);
        reply = Arrays.copyOf(out.array(), out.position());
      } else {
        error = errorText(L);
      }
    }

    /** Redis's text for a failed run: the error, then where in the script it happened. */
    private String errorText(Lua L) {
      if (!L.isTable(-1)) {
        return "ERR Error running script " + label() + ", "
            + (L.isString(-1) ? LuaStrings.string(L, -1) : "execution failure");
      }
      L.getField(-1, "err");
      String msg = L.isString(-1) ? LuaStrings.string(L, -1) : "";
      L.pop(1);
      L.getField(-1, "source");
      String source = L.isString(-1) ? LuaStrings.string(L, -1) : null;
      L.pop(1);
      L.getField(-1, "line");
      String line = L.isNumber(-1) || L.isString(-1) ? LuaStrings.string(L, -1) : null;
      L.pop(1);
      if (msg.startsWith("-")) msg = msg.substring(1);
      String text = msg;
      if (line != null && source != null) text += " script: " + label() + ", on " + source + ":" + line + ".";
      return Replies.oneLine(text);
    }

    private void table(Lua L, byte[][] values) {
      L.createTable(values.length, 0);
      for (int i = 0; i < values.length; i++) {
        LuaStrings.push(L, values[i]);
        L.rawSetI(-2, i + 1);
      }
    }

    @Override
    public int call(Lua L, boolean raise) {
      int n = L.getTop();
      if (n == 0) return fail(L, raise, "Please specify at least one argument for this redis lib call");
      byte[][] args = new byte[n][];
      for (int i = 0; i < n; i++) {
        switch (L.type(i + 1)) {
          case STRING -> args[i] = LuaStrings.bytes(L, i + 1);
          case NUMBER -> args[i] = LuaStrings.g17(L.toNumber(i + 1)).getBytes(StandardCharsets.US_ASCII);
          default -> {
            return fail(L, raise, "Lua redis lib command arguments must be strings or integers");
          }
        }
      }
      L.setTop(0);
      Args a = Args.of(args);
      CommandSpec cmd = server.table().lookup(a);
      if (cmd != null && cmd.isContainer()) {
        cmd = a.count() >= 2 ? cmd.subcommands().get(a.lower(1)) : cmd;
      }
      if (cmd == null) return fail(L, raise, "Unknown Redis command called from script");
      if (!cmd.arityOk(a.count())) {
        return reject(L, raise, cmd, "Wrong number of args calling Redis command from script");
      }
      if (cmd.has(CommandSpec.NOSCRIPT)) {
        return reject(L, raise, cmd, "This Redis command is not allowed from script");
      }
      AccessControl access = server.access();
      if (access != null && caller != null && caller.user != null) {
        AccessControl.Refusal refused = access.check(caller, caller.user, cmd, a, AccessControl.Context.LUA);
        if (refused != null) return reject(L, raise, cmd, refused.scriptError());
      }
      // as Redis: a read-only script may not run what may replicate (PUBLISH, SPUBLISH) either
      if (readOnly && cmd.has(CommandSpec.WRITE | CommandSpec.MAY_REPLICATE)) {
        return reject(L, raise, cmd, "Write commands are not allowed from read-only scripts.");
      }
      if (cmd.has(CommandSpec.WRITE)) {
        if (server.replicaRole().isReplica() && server.config.getBool("replica-read-only")) {
          return reject(L, raise, cmd, "-READONLY You can't write against a read only replica.");
        }
      }
      if (stale && !cmd.has(CommandSpec.STALE)) {
        return reject(L, raise, cmd, "Can not execute the command on a stale replica");
      }
      // memory was full when the script started: a command that may add memory fails, unless the script has
      // already written (its atomicity comes first)
      if (cmd.has(CommandSpec.DENYOOM) && !wrote && !allowOom && server.memory.maxmemory() > 0
          && server.dispatcher.scriptOutOfMemory() && !scriptClient.master) {
        return reject(L, raise, cmd, "-" + Errors.OOM);
      }
      if (cmd.has(CommandSpec.WRITE)) wrote = true;
      RespWriter out = scriptClient.out;
      out.truncate(0);
      out.proto(resp);
      server.dispatcher.callFromScript(scriptClient, a, cmd);
      if (monitorLines != null) {
        monitorLines.add(Dispatcher.monitorLine(Dispatcher.monitorMicros(), scriptClient.db.index, "lua", a, cmd));
      }
      int[] pos = {0};
      boolean isError = Replies.push(L, out.array(), pos);
      out.truncate(0);
      return isError && raise ? -1 : 1;
    }

    /** Pushes the error table Redis's luaPushError builds for {@code msg}; raised for redis.call. */
    /** A command refused before it runs, counted in its rejected_calls as Redis's scriptCall does. */
    private int reject(Lua L, boolean raise, CommandSpec cmd, String msg) {
      server.dispatcher.scriptCallRejected(cmd, msg);
      int r = fail(L, raise, msg);
      if (!raise) {
        // counted already: a script returning what pcall gave it does not count it again, as in Redis
        L.push(true);
        L.setField(-2, "ignore_error_stats_update");
      }
      return r;
    }

    private int fail(Lua L, boolean raise, String msg) {
      if (raise) return LuaRuntime.raise(L, msg);
      L.setTop(0);
      LuaRuntime.pushError(L, msg);
      return 1;
    }

    @Override
    public int aclCheck(Lua L) {
      if (L.getTop() == 0) return fail(L, true, "Please specify at least one argument for this redis lib call");
      byte[][] args = new byte[L.getTop()][];
      for (int i = 0; i < args.length; i++) args[i] = LuaStrings.bytes(L, i + 1);
      Args a = Args.of(args);
      CommandSpec cmd = server.table().lookup(a);
      L.setTop(0);
      if (cmd == null) return fail(L, true, "Invalid command passed to redis.acl_check_cmd()");
      if (cmd.isContainer() && a.count() >= 2 && cmd.subcommands().get(a.lower(1)) != null) {
        cmd = cmd.subcommands().get(a.lower(1));
      }
      AccessControl access = server.access();
      boolean allowed = true;
      if (access != null && caller != null && caller.user != null) {
        allowed = access.check(caller, caller.user, cmd, a, null) == null;
      }
      L.push(allowed);
      return 1;
    }

    @Override
    public boolean killed() {
      return killed;
    }

    @Override
    public void setResp(int proto) {
      resp = proto;
    }

    @Override
    public void setRepl(int flags) {
      server.dispatcher.propagationSuppressed((flags & 2) == 0);
    }

    @Override
    public void log(int level, String message) {
      server.log.log(level, message);
    }
  }
}
