package dev.vireo.server;

import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.resp.Errors;
import dev.vireo.resp.RespWriter;
import dev.vireo.store.Keyspace;
import dev.vireo.util.Repr;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs every command: looks it up in the command table, checks arity, authentication, loading, replica and
 * transaction rules, calls the handler, and records what the call means beyond its reply: statistics, the slow
 * log, latency events, MONITOR output, WATCH touches, and what replicas must repeat. Propagation is decided here
 * once: a command says only what it stands for ({@link #propagateAs}, {@link #propagateNothing}); the wrapping
 * of several writes in MULTI/EXEC and the expiry DELs are added here, and the bytes go to {@link Propagation}.
 * Data loop only.
 */
public final class Dispatcher {
  private static final byte[] DEL = {'D', 'E', 'L'};
  private static final byte[] UNLINK = {'U', 'N', 'L', 'I', 'N', 'K'};
  private static final byte[][] MULTI = {{'M', 'U', 'L', 'T', 'I'}};
  private static final byte[][] EXEC = {{'E', 'X', 'E', 'C'}};

  private final Server server;
  private final CommandTable table;
  private final Keyspace keyspace;
  /** Nesting of {@link #call}: commands run by EXEC are inside EXEC's call. */
  private int callDepth;
  /** What the running command propagates instead of itself ({@link #propagateAs}); null: itself. */
  private List<byte[][]> rewritten;
  /** Whether the units being recorded go to replicas too (not when a replica applies its master's stream). */
  private boolean pendingToReplicas;
  /** Commands to propagate when the outermost command ends: database index and arguments. */
  private final List<Propagated> pendingPropagation = new ArrayList<>();
  private boolean scriptOom;
  /** Set when the running handler refused its command before doing anything (see CommandError.rejected). */
  private boolean rejectedCall;

  /** One command to propagate, in the database it ran in. */
  private record Propagated(int db, byte[][] argv) {}

  // Hot-path copies of configuration values, refreshed by CONFIG SET listeners.
  private long slowlogSlowerThan;
  private int slowlogMaxLen;
  private long latencyThresholdMillis;
  private boolean latencyTracking;

  Dispatcher(Server server, CommandTable table) {
    this.server = server;
    this.table = table;
    this.keyspace = server.keyspace();
    var config = server.config;
    slowlogSlowerThan = config.getLong("slowlog-log-slower-than");
    slowlogMaxLen = config.getInt("slowlog-max-len");
    latencyThresholdMillis = config.getLong("latency-monitor-threshold");
    latencyTracking = config.getBool("latency-tracking");
    config.onChange("latency-tracking", v -> latencyTracking = config.getBool("latency-tracking"));
    config.onChange("slowlog-log-slower-than", v -> slowlogSlowerThan = config.getLong("slowlog-log-slower-than"));
    config.onChange("slowlog-max-len", v -> slowlogMaxLen = config.getInt("slowlog-max-len"));
    config.onChange("latency-monitor-threshold",
        v -> latencyThresholdMillis = config.getLong("latency-monitor-threshold"));
    // a key whose TTL passed goes from replicas too, as a DEL: they never expire keys on their own
    keyspace.expiredListener((db, key) -> propagateNow(db.index,
        new byte[][] {config.getBool("lazyfree-lazy-expire") ? UNLINK : DEL, key}));
  }

  public CommandTable table() {
    return table;
  }

  /** Runs one command for a client: lookup, arity, auth, then the handler; replies go to the client's writer. */
  public void execute(Client c, Args a) {
    if (a.count() == 0) return;
    if (server.busy.active()) {
      executeWhileBusy(c, a);
      return;
    }
    keyspace.tick();
    CommandSpec cmd = table.lookup(a);
    Tracking.beforeCommand(c);
    // CLIENT LIST's cmd is the command looked up, as in Redis: refused or queued, and NULL when unknown
    c.lastCommand = cmd;
    if (cmd == null) {
      reject(c, null, unknownCommand(a));
      return;
    }
    if (cmd.isContainer() && (a.count() >= 2 || !cmd.arityOk(1))) {
      if (a.count() < 2) {
        reject(c, cmd, "ERR wrong number of arguments for '" + cmd.fullName + "' command");
        return;
      }
      CommandSpec sub = cmd.subcommands().get(a.lower(1));
      c.lastCommand = sub;
      if (sub == null) {
        // as Redis: an unknown subcommand is no call of the container, so no commandstats line for it
        reject(c, null, unknownSubcommand(cmd, a));
        return;
      }
      cmd = sub;
    }
    if (!cmd.arityOk(a.count())) {
      reject(c, cmd, "ERR wrong number of arguments for '" + cmd.fullName + "' command");
      return;
    }
    if (!c.authenticated && !cmd.has(CommandSpec.NO_AUTH)) {
      reject(c, cmd, Errors.NOAUTH);
      return;
    }
    AccessControl access = server.access();
    if (access != null && c.user != null) {
      AccessControl.Refusal refused = access.check(c, c.user, cmd, a,
          c.multi != null ? AccessControl.Context.MULTI : AccessControl.Context.TOPLEVEL);
      if (refused != null) {
        reject(c, cmd, refused.error());
        return;
      }
    }
    ReplicaRole role = server.replicaRole();
    if ((server.snapshots().loading() || role.loading()) && !cmd.has(CommandSpec.LOADING)) {
      reject(c, cmd, "LOADING Redis is loading the dataset in memory");
      return;
    }
    if (cmd.has(CommandSpec.PROTECTED)) {
      // DEBUG answers to enable-debug-command, MODULE's subcommands to enable-module-command
      String which = cmd.parent() != null && cmd.parent().name.equals("module") ? "MODULE" : "DEBUG";
      String option = which.equals("MODULE") ? "enable-module-command" : "enable-debug-command";
      if (!protectedActionAllowed(c, server.config.get(option))) {
        reject(c, cmd, "ERR " + which + " command not allowed. If the " + option + " option is set to \"local\", "
            + "you can run it from a local connection, otherwise you need to set this option in the configuration "
            + "file, and then restart the server.");
        return;
      }
    }
    if (server.memory.maxmemory() > 0 && outOfMemory(c, cmd)) {
      reject(c, cmd, Errors.OOM);
      return;
    }
    // in Redis's order: NOREPLICAS or READONLY, then the subscribed context, then MASTERDOWN
    boolean replica = role.isReplica() && !c.master;
    if (replica && cmd.has(CommandSpec.WRITE) && server.config.getBool("replica-read-only")) {
      reject(c, cmd, "READONLY You can't write against a read only replica.");
      return;
    }
    if (!role.isReplica() && cmd.has(CommandSpec.WRITE) && !server.propagation().enoughGoodReplicas()) {
      reject(c, cmd, "NOREPLICAS Not enough good replicas to write.");
      return;
    }
    if (c.out.proto() == 2 && c.subscriptionCount() > 0 && !PubSub.allowedWhileSubscribed(cmd)) {
      reject(c, cmd, "ERR Can't execute '" + cmd.fullName + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / "
          + "QUIT / RESET are allowed in this context");
      return;
    }
    if (replica && !role.linkUp() && !cmd.has(CommandSpec.STALE)
        && !server.config.getBool("replica-serve-stale-data")) {
      reject(c, cmd, "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.");
      return;
    }
    if (c.multi != null && cmd.has(CommandSpec.NO_MULTI)) {
      reject(c, cmd, "ERR Command not allowed inside a transaction");
      return;
    }
    // a pause (CLIENT PAUSE, FAILOVER) holds the client here, after every check that would refuse the command
    if (server.pause.on() && !c.master && server.pause.holds(c, effectiveFlags(c, cmd, a))) {
      server.pause.postpone(c, a);
      return;
    }
    if (c.multi != null && !Transactions.controlsTransaction(cmd)) {
      c.multi.add(new Transaction.Queued(cmd, a.toArray()));
      c.out.raw(RespWriter.QUEUED);
      return;
    }
    ClientRegistry clients = server.clients;
    long startMicros = clients.hasMonitors() ? nowMicros() : 0;
    call(c, a, cmd);
    if (c.suspended) return; // a script went past busy-reply-threshold: the rest happens when it ends
    server.blocking.serveReady();
    // Monitors see the command after it ran, as in Redis (SELECT shows the database it selected).
    if (clients.hasMonitors() && !cmd.has(CommandSpec.SKIP_MONITOR | CommandSpec.ADMIN)) {
      feedMonitors(c, a, cmd, startMicros);
    }
  }

  /**
   * The command's flags for this call: a script's declared flags decide EVAL's and FCALL's; EXEC has those of the
   * commands it would run.
   */
  private static int effectiveFlags(Client c, CommandSpec cmd, Args a) {
    int flags = cmd.flags(a);
    if (c.multi != null && cmd.name.equals("exec")) {
      for (Transaction.Queued q : c.multi.queued) flags |= q.cmd().flags(Args.of(q.args()));
    }
    return flags;
  }

  /** Whether a pause holds this command of the master's stream (a paused replica stops applying writes). */
  public boolean pauseHolds(Client master, Args a) {
    if (!server.pause.paused()) return false;
    CommandSpec cmd = table.lookup(a);
    if (cmd == null) return false;
    if (cmd.isContainer() && a.count() >= 2) {
      CommandSpec sub = cmd.subcommands().get(a.lower(1));
      if (sub != null) cmd = sub;
    }
    return server.pause.holds(master, effectiveFlags(master, cmd, a));
  }

  /**
   * Evicts before the command, as Redis does before each one while maxmemory is set; true when memory could not be
   * freed and the command may add memory: it is flagged denyoom, is EXEC of a transaction holding one, or is queued
   * in MULTI (which may grow without end). Scripts remember the outcome for the writes they call.
   */
  private boolean outOfMemory(Client c, CommandSpec cmd) {
    boolean oom = server.memory.evict() == Memory.Result.FAIL;
    scriptOom = oom;
    if (!oom) return false;
    if (cmd.has(CommandSpec.DENYOOM)) return true;
    String n = cmd.name;
    if (n.equals("exec")) {
      if (c.multi == null) return false;
      for (Transaction.Queued q : c.multi.queued) {
        if (q.cmd().has(CommandSpec.DENYOOM)) return true;
      }
      return false;
    }
    return c.multi != null && !n.equals("discard") && !n.equals("quit") && !n.equals("reset");
  }

  /**
   * A script's call refused before it ran (OOM, READONLY, arity...): counted in the command's rejected_calls and in
   * the error statistics, as Redis's scriptCall does.
   */
  public void scriptCallRejected(CommandSpec cmd, String error) {
    cmd.rejectedCalls++;
    server.stats.recordError(error.startsWith("-") ? errorCode(error.substring(1)) : "ERR");
  }

  /** Error replies a script returned of its own (error_reply, {err=...}): each counted, as Redis counts them. */
  public void scriptErrorReplies(List<String> errors) {
    for (String e : errors) server.stats.recordError(errorCode(e));
  }

  /** True when the last command found memory full: a script's denyoom calls then fail with -OOM. */
  public boolean scriptOutOfMemory() {
    return scriptOom;
  }

  /** Calls the handler and does the bookkeeping of one executed command (also each command EXEC runs). */
  void call(Client c, Args a, CommandSpec cmd) {
    int mark = c.out.position();
    int modeBefore = c.replyMode;
    long dirtyBefore = server.dirty();
    long errorsBefore = server.stats.errorReplies;
    long offsetBefore = server.repl.offset();
    int db = c.db.index;
    List<byte[][]> outerRewrite = rewritten;
    rewritten = null;
    callDepth++;
    long t0 = System.nanoTime();
    String error = null;
    c.lastCommand = cmd;
    // a writable replica's own writes expire keys on lookup and have their TTLs tracked by the replica
    boolean localWriteBefore = keyspace.localWrite(cmd.has(CommandSpec.WRITE) && !c.master && keyspace.isReplica());
    keyspace.startRecording(cmd.has(CommandSpec.WRITE));
    Tracking tracking = server.tracking;
    Client outerCurrent = tracking.current();
    Client outerExecuting = tracking.executing();
    tracking.enter(c);
    try {
      cmd.handler().run(c, a);
    } catch (CommandError e) {
      rejectedCall = e.isRejected();
      c.out.truncate(mark);
      error = e.getMessage();
      c.out.error(error);
    } catch (RuntimeException e) {
      c.out.truncate(mark);
      server.log.warn("Internal error in '" + cmd.fullName + "' for client id=" + c.id + ": " + e);
      error = "ERR internal error in '" + cmd.fullName + "': " + e.getClass().getSimpleName();
      c.out.error(error);
    } finally {
      keyspace.localWrite(localWriteBefore);
      tracking.leave(outerCurrent, outerExecuting);
    }
    if (suspension != null && suspension.client == c && suspension.frame == null) {
      // the handler handed the keyspace to a script that outlived busy-reply-threshold: the call's bookkeeping
      // waits for the script's end (resume), and so does everything this client pipelined after it
      suspension.frame = new Frame(Args.of(a.toArray()), cmd, modeBefore, dirtyBefore, offsetBefore, db,
          outerRewrite, t0, errorsBefore);
      if (suspension.queued) {
        // queued for the client's batch: the call is open no more on the data loop; the script thread opens it
        // again around the run (enterQueued) and completeQueued ends it
        suspension = null;
        callDepth--;
        rewritten = outerRewrite;
        return;
      }
      c.suspended = true;
      return;
    }
    complete(c, a, cmd, mark, modeBefore, dirtyBefore, offsetBefore, db, outerRewrite, t0, error, errorsBefore);
  }

  private void complete(Client c, Args a, CommandSpec cmd, int mark, int modeBefore, long dirtyBefore,
      long offsetBefore, int db, List<byte[][]> outerRewrite, long t0, String error, long errorsBefore) {
    long nanos = System.nanoTime() - t0;
    long micros = nanos / 1000;
    callDepth--;
    boolean wrote = server.dirty() != dirtyBefore && cmd.has(CommandSpec.WRITE);
    if (error == null && !propagationSuppressed && (server.appendOnly().on() || toReplicas(c))) {
      if (rewritten != null) {
        for (byte[][] argv : rewritten) pendingPropagation.add(new Propagated(db, argv));
      } else if (wrote) {
        pendingPropagation.add(new Propagated(db, a.toArray()));
      }
    }
    rewritten = outerRewrite;
    if (callDepth == 0 && !pendingPropagation.isEmpty()) {
      pendingToReplicas = toReplicas(c);
      propagatePending();
    }
    if (server.repl.offset() != offsetBefore) c.woff = server.repl.offset();
    boolean rejected = rejectedCall;
    rejectedCall = false;
    if (rejected) {
      // refused before it ran, as Redis refuses in processCommand: no call, no latency
      cmd.rejectedCalls++;
      server.stats.recordError(errorCode(error));
    } else {
      cmd.calls++;
      cmd.micros += micros;
      if (latencyTracking) cmd.latency.record(nanos);
      server.stats.commandsProcessed++;
    }
    if (error != null && !rejected) {
      cmd.failedCalls++;
      // a script's error that a redis.call raised was counted when that call failed, and is not counted twice
      if (server.stats.errorReplies == errorsBefore) server.stats.recordError(errorCode(error));
    } else if (!rejected && server.stats.errorReplies > errorsBefore && !cmd.name.equals("exec")) {
      // as Redis: a command during which an error reply was counted failed (a script whose pcall caught one);
      // EXEC's commands count their own errors, and EXEC fails only by its own
      cmd.failedCalls++;
    } else if (wrote) {
      // in-place changes (LPUSH to an existing list, INCR...) touch the command's keys for WATCH and tracking, as
      // changes made by this client's command (NOLOOP)
      Tracking tracking = server.tracking;
      Client outerCurrent = tracking.current();
      Client outerExecuting = tracking.executing();
      tracking.enter(c);
      server.transactions.touchKeys(c, a, cmd);
      tracking.leave(outerCurrent, outerExecuting);
    }
    // the keys a write found or created may have changed size
    if (cmd.has(CommandSpec.WRITE)) keyspace.accountTouched();
    if (cmd.has(CommandSpec.READONLY) && server.tracking.clients() > 0) server.tracking.readDone(c, a, cmd);
    if (slowlogSlowerThan >= 0 && micros >= slowlogSlowerThan && !cmd.has(CommandSpec.SKIP_SLOWLOG)) {
      server.slowLog.add(micros, slowlogArgs(a, cmd), c.addr, c.name, slowlogMaxLen);
    }
    if (latencyThresholdMillis > 0 && micros / 1000 >= latencyThresholdMillis) {
      server.latency.record(cmd.has(CommandSpec.FAST) ? "fast-command" : "command", micros / 1000);
    }
    // as Redis: a reply is dropped unless the command itself turned replies on (CLIENT REPLY ON answers +OK);
    // SKIP silences the next command only, counted at the outermost call (EXEC, not each command it runs)
    if ((modeBefore == Client.REPLY_SKIP || modeBefore == Client.REPLY_OFF) && c.replyMode != Client.REPLY_ON) {
      c.out.truncate(mark);
    }
    if (callDepth == 0) {
      if (c.replyMode == Client.REPLY_SKIP_NEXT) c.replyMode = Client.REPLY_SKIP;
      else if (modeBefore == Client.REPLY_SKIP && c.replyMode == Client.REPLY_SKIP) c.replyMode = Client.REPLY_ON;
    }
    server.tracking.callDone();
    // the invalidations this command caused for its own client follow its reply
    if (callDepth == 0) server.tracking.commandDone(c);
  }

  // ---------------------------------------------------------------- scripts

  /** What {@link #call} had started when a script outlived the threshold; finished by {@link #resume}. */
  private record Frame(Args args, CommandSpec cmd, int modeBefore, long dirtyBefore, long offsetBefore, int db,
      List<byte[][]> outerRewrite, long t0, long errorsBefore) {}

  /** A command whose end waits for a script: created before the handover, completed on the data loop. */
  public static final class Suspension {
    final Client client;
    Frame frame;
    /** Queued in a batch of the client's scripts rather than running now. */
    final boolean queued;
    /** A queued run's commands to propagate, kept from its end on the script thread to its completion. */
    List<Propagated> pending = List.of();
    /** Error replies counted while a queued run ran (its commands' errors), for its completion's bookkeeping. */
    long runErrors;

    Suspension(Client client, boolean queued) {
      this.client = client;
      this.queued = queued;
    }
  }

  /** The client whose input is being processed: its script commands may be queued as one batch; or null. */
  private Client batching;
  /** Runs the queued scripts (set by the engine while some are queued), or null. */
  private Runnable queuedScripts;

  private Suspension suspension;
  /** redis.set_repl without REPL_REPLICA: the script's commands do not reach replicas. */
  private boolean propagationSuppressed;

  /**
   * Called by a handler, on the data loop, just before it hands the keyspace to a script that has outlived the
   * threshold and returns without a reply: {@link #call} then keeps its bookkeeping for {@link #resume}.
   */
  public Suspension suspend(Client c) {
    suspension = new Suspension(c, false);
    return suspension;
  }

  /**
   * Whether a script command of {@code c} may be queued rather than run at once: {@code c}'s input is being read
   * (so the queue runs before anything else of it, see {@link Client#processInput}), it is not in EXEC nor the
   * master's link, and no MONITOR would see the order of EVALs and their commands change.
   */
  public boolean queueable(Client c) {
    return batching == c && !c.executingTransaction && !c.master && !server.clients.hasMonitors();
  }

  /**
   * Called by a script handler instead of running its script: the command's bookkeeping waits for {@link
   * #completeQueued}, and {@code runQueued} runs every queued script in one handover (before the client's next
   * command that is not a script, or when its read is done).
   */
  public Suspension queue(Client c, Runnable runQueued) {
    queuedScripts = runQueued;
    c.scriptsQueued++;
    suspension = new Suspension(c, true);
    return suspension;
  }

  /** Marks the client whose input is processed; returns the one it replaces (a nested processing). */
  Client batching(Client c) {
    Client prev = batching;
    batching = c;
    return prev;
  }

  boolean scriptsQueued() {
    return queuedScripts != null;
  }

  /** Runs the queued scripts now, if any (in one handover; the client may be suspended after: busy mode). */
  void runQueuedScripts() {
    Runnable r = queuedScripts;
    if (r == null) return;
    queuedScripts = null;
    r.run();
  }

  /** The script commands that may be queued together: EVAL, EVALSHA, FCALL and their _RO variants. */
  static boolean isScriptCommand(Args a) {
    return a.count() > 0 && (a.is(0, "evalsha") || a.is(0, "eval") || a.is(0, "fcall") || a.is(0, "evalsha_ro")
        || a.is(0, "eval_ro") || a.is(0, "fcall_ro"));
  }

  /**
   * Script thread, before a queued run: the run's commands happen inside its call, as when EVAL runs inline (their
   * propagation waits for the call's end).
   */
  public void enterQueued() {
    keyspace.tick(); // the script's clock: its start, as for a script run at once
    queuedErrorsAtEnter = server.stats.errorReplies;
    callDepth++;
    rewritten = null;
  }

  /** Script thread, after a queued run: what it propagates stays with its suspension until completeQueued. */
  public void leaveQueued(Suspension s) {
    s.runErrors = server.stats.errorReplies - queuedErrorsAtEnter;
    s.pending = pendingPropagation.isEmpty() ? List.of() : new ArrayList<>(pendingPropagation);
    pendingPropagation.clear();
    callDepth--;
    rewritten = null;
  }

  /**
   * Data loop, after a queued run ended (the keyspace back): the command ends as if it had run inline, in queue
   * order: its reply, its effects propagated as one unit, its statistics ({@code nanos}: the run's own time).
   */
  public void completeQueued(Suspension s, byte[] reply, String error, long nanos, List<String> scriptErrors) {
    Frame f = s.frame;
    // errors counted since the run was queued belong to runs before it: only its own count for it
    if (error == null) scriptErrorReplies(scriptErrors);
    long errorsBefore = server.stats.errorReplies - s.runErrors - (error == null ? scriptErrors.size() : 0);
    Client c = s.client;
    c.scriptsQueued--;
    long offsetBefore = server.repl.offset();
    callDepth++;
    pendingPropagation.addAll(s.pending);
    s.pending = List.of();
    rewritten = null;
    int mark = c.out.position();
    if (error != null) c.out.error(error);
    else c.out.raw(reply);
    complete(c, f.args(), f.cmd(), mark, f.modeBefore(), f.dirtyBefore(), offsetBefore, f.db(), f.outerRewrite(),
        System.nanoTime() - nanos, error, errorsBefore);
    server.blocking.serveReady();
  }

  /** A run of a batch went past the threshold: {@code c}, which has a run in it, waits until its runs are done. */
  public void holdForScript(Client c) {
    c.suspended = true;
    if (!waiting.contains(c)) waiting.add(c);
  }

  /**
   * The busy run of a batch ended and the runs up to it are complete: busy mode ends, then {@code rest} (the
   * batch's runs that had not started; null when none) is handed over again, then the waiting clients go on.
   */
  public void resumeAfterBusy(Runnable rest) {
    server.busy.exit(server);
    server.busy.defer(() -> {
      if (rest != null) {
        rest.run();
        if (server.busy.active()) return; // busy again: its end resumes them
      }
      resumeWaiting();
    });
  }

  /** Error replies counted when the queued run being run started (script thread). */
  private long queuedErrorsAtEnter;

  /** Clients whose input waits for their queued scripts (suspended), in the order they started waiting. */
  private List<Client> waiting = new ArrayList<>();
  /** The end-of-turn task that runs the queued scripts is scheduled on the data loop. */
  private boolean turnScheduled;

  /**
   * End of {@code c}'s read with scripts of it queued: it waits (reads nothing more) and the queue runs at the end
   * of the event loop's turn, together with the scripts other clients queue meanwhile.
   */
  void deferQueuedScripts(Client c) {
    if (c.scriptsQueued == 0) return;
    Context ctx = Vertx.currentContext();
    if (ctx == null) { // not on the event loop (a test calling in): at once
      runQueuedScripts();
      return;
    }
    c.suspended = true;
    if (!waiting.contains(c)) waiting.add(c);
    if (!turnScheduled) {
      turnScheduled = true;
      ctx.runOnContext(v -> endOfTurn());
    }
  }

  private void endOfTurn() {
    turnScheduled = false;
    if (server.busy.defer(this::runQueuedAndResume)) return; // another script is busy: after it
  }

  private void runQueuedAndResume() {
    runQueuedScripts();
    if (!server.busy.active()) resumeWaiting();
  }

  /** The waiting clients whose queued scripts are all complete go on reading, in the order they waited. */
  private void resumeWaiting() {
    List<Client> ready = new ArrayList<>();
    for (int i = 0; i < waiting.size(); ) {
      Client c = waiting.get(i);
      if (c.scriptsQueued == 0) {
        waiting.remove(i);
        c.suspended = false;
        ready.add(c);
      } else {
        i++;
      }
    }
    for (Client c : ready) {
      if (c.isClosing() || c.suspended) c.flush();
      else c.processInput();
    }
    server.clients.flushPending();
  }

  /**
   * The script ended (data loop, keyspace back): the suspended command's reply ({@code reply}, or {@code error})
   * goes to its client, its effects propagate, and its statistics are counted, as if it had ended inline. The
   * client's pipelined commands then go on.
   */
  public void resume(Suspension s, byte[] reply, String error) {
    Frame f = s.frame;
    Client c = s.client;
    if (suspension == s) suspension = null;
    int mark = c.out.position();
    if (error != null) c.out.error(error);
    else c.out.raw(reply);
    complete(c, f.args(), f.cmd(), mark, f.modeBefore(), f.dirtyBefore(), f.offsetBefore(), f.db(),
        f.outerRewrite(), f.t0(), error, f.errorsBefore());
    server.blocking.serveReady();
    c.suspended = false;
    server.busy.exit(server);
    c.flush();
    server.clients.flushPending();
    if (!c.isClosing()) c.processInput();
  }

  /** Ends a suspension that was prepared but not needed (the script ended within the threshold). */
  public void cancelSuspension(Suspension s) {
    if (suspension == s) suspension = null;
  }

  /** redis.set_repl: whether the script's following commands reach replicas. */
  public void propagationSuppressed(boolean suppressed) {
    propagationSuppressed = suppressed;
  }

  /** One command of a script (redis.call), on the script thread while it holds the keyspace. */
  public void callFromScript(Client scriptClient, Args a, CommandSpec cmd) {
    call(scriptClient, a, cmd);
  }

  /**
   * A command while a script holds the keyspace: only the allow-busy commands run; those touching shared state
   * (WATCH, UNWATCH, DISCARD, RESET) wait for the script's end; everything else gets -BUSY. Nothing here touches
   * the keyspace, the statistics or this dispatcher's call state, which the script thread owns meanwhile.
   */
  /** Redis's error for a subcommand {@code container} does not have. */
  private static String unknownSubcommand(CommandSpec container, Args a) {
    return "ERR unknown subcommand '" + a.echo(1, 128) + "'. Try "
        + container.name.toUpperCase() + " HELP.";
  }

  private void executeWhileBusy(Client c, Args a) {
    Busy busy = server.busy;
    CommandSpec cmd = table.lookup(a);
    String error = null;
    boolean known = cmd != null; // Redis keeps no commandstats for an unknown command or subcommand
    if (cmd == null) {
      error = unknownCommand(a);
    } else {
      if (cmd.isContainer() && a.count() >= 2) {
        CommandSpec sub = cmd.subcommands().get(a.lower(1));
        if (sub != null) {
          cmd = sub;
        } else {
          known = false;
          error = unknownSubcommand(cmd, a);
        }
      }
      if (error != null) {
        // an unknown subcommand is answered as such, before the script's -BUSY, as Redis does
      } else if (!cmd.arityOk(a.count())) error = "ERR wrong number of arguments for '" + cmd.fullName + "' command";
      else if (!c.authenticated && !cmd.has(CommandSpec.NO_AUTH)) error = Errors.NOAUTH;
      else if (!cmd.has(CommandSpec.ALLOW_BUSY)) error = busy.reply();
    }
    if (error != null) {
      busy.rejected.add(errorCode(error));
      if (known) busy.counted.add(new Busy.Counted(cmd, true, false, 0));
      if (cmd != null && cmd.name.equals("exec")) {
        // as Redis: a refused EXEC discards the transaction, and says so even without MULTI
        error = "EXECABORT Transaction discarded because of: " + error;
        server.transactions.forget(c);
      } else if (c.multi != null) {
        c.multi.aborted = true;
      }
      if (c.replyMode == Client.REPLY_ON) c.out.error(error);
      else if (c.replyMode == Client.REPLY_SKIP) c.replyMode = Client.REPLY_ON;
      return;
    }
    String n = cmd.parent() != null ? cmd.parent().name : cmd.name;
    if (n.equals("reset")) {
      c.suspended = true;
      Args copy = Args.of(a.toArray());
      busy.defer(() -> {
        c.suspended = false;
        if (c.isClosing()) return;
        execute(c, copy);
        c.flush();
        c.processInput();
      });
      return;
    }
    long t0 = System.nanoTime();
    boolean failed = false;
    try {
      cmd.handler().run(c, a);
    } catch (CommandError e) {
      failed = true;
      busy.rejected.add(errorCode(e.getMessage()));
      c.out.error(e.getMessage());
    }
    busy.counted.add(new Busy.Counted(cmd, false, failed, (System.nanoTime() - t0) / 1000));
  }

  /**
   * The running command propagates {@code argv} (in the client's current database) instead of itself; called
   * once per command it stands for (none after {@link #propagateNothing}). Outside a command (a blocked client
   * served when a key became ready) it propagates at once.
   */
  public void propagateAs(Client c, byte[]... argv) {
    Propagation out = server.propagation();
    if (!out.feeding() && !server.appendOnly().on()) return; // nothing records the stream
    if (callDepth == 0) {
      if (toReplicas(c)) {
        out.propagate(c.db.index, argv);
        c.woff = server.repl.offset();
      }
      server.appendOnly().feed(c.db.index, argv);
      return;
    }
    if (rewritten == null) rewritten = new ArrayList<>(1);
    rewritten.add(argv);
  }

  /**
   * Runs work done outside a command for a client (a blocked client served when its key became ready) as one unit
   * for replicas and the AOF: the commands it propagates go out together, in MULTI/EXEC when there are several,
   * as Redis wraps them.
   */
  void asUnit(Client c, Runnable work) {
    if (callDepth > 0) {
      work.run();
      return;
    }
    List<byte[][]> outer = rewritten;
    rewritten = null;
    callDepth++;
    try {
      work.run();
    } finally {
      callDepth--;
      if (rewritten != null) for (byte[][] argv : rewritten) pendingPropagation.add(new Propagated(c.db.index, argv));
      rewritten = outer;
      if (!pendingPropagation.isEmpty()) {
        pendingToReplicas = toReplicas(c);
        propagatePending();
      }
    }
  }

  /** The running command changed the dataset in a way replicas must not repeat (or repeat otherwise). */
  public void propagateNothing() {
    if (callDepth > 0 && rewritten == null) rewritten = new ArrayList<>(0);
  }

  /** An evicted key leaves replicas and the AOF as a DEL, or an UNLINK with lazyfree-lazy-eviction. */
  void propagateDeletion(int db, byte[] key, boolean lazy) {
    propagateNow(db, new byte[][] {lazy ? UNLINK : DEL, key});
  }

  /** Propagates now, or with the running command's own (a key expired while a command looked it up). */
  private void propagateNow(int db, byte[][] argv) {
    if (server.replicaRole().isReplica()) return;
    if (callDepth > 0) {
      pendingPropagation.add(new Propagated(db, argv));
    } else {
      server.propagation().propagate(db, argv);
      server.appendOnly().feed(db, argv);
    }
  }

  /** What one command (EXEC included) changed goes out as one unit: in MULTI/EXEC when it is several commands. */
  private void propagatePending() {
    int n = pendingPropagation.size();
    if (n > 1) record(pendingPropagation.get(0).db(), MULTI);
    for (Propagated op : pendingPropagation) record(op.db(), op.argv());
    if (n > 1) record(-1, EXEC);
    pendingPropagation.clear();
  }

  /**
   * Whether what this client's command changed goes to replicas: not on a replica (its master's stream is passed
   * on as it came), and only once a backlog exists.
   */
  private boolean toReplicas(Client c) {
    return !c.master && server.propagation().feeding() && !server.replicaRole().isReplica();
  }

  /** Hands one command of the stream to the replicas (when they get it) and to the AOF. */
  private void record(int db, byte[][] argv) {
    if (pendingToReplicas) server.propagation().propagate(db, argv);
    server.appendOnly().feed(db, argv);
  }

  private void reject(Client c, CommandSpec cmd, String error) {
    if (cmd != null) cmd.rejectedCalls++;
    if (cmd != null && cmd.name.equals("exec")) {
      // as Redis: a refused EXEC discards the transaction, and says why (an ERR without its code), MULTI or not
      error = "EXECABORT Transaction discarded because of: " + (error.startsWith("ERR ") ? error.substring(4) : error);
      server.transactions.forget(c);
    } else if (c.multi != null) {
      c.multi.aborted = true; // EXEC will answer EXECABORT
    }
    server.stats.recordError(errorCode(error));
    if (c.replyMode == Client.REPLY_ON) c.out.error(error);
    else if (c.replyMode == Client.REPLY_SKIP) c.replyMode = Client.REPLY_ON;
  }

  /** As Redis: the first word when a space comes within the first 32 bytes of the line ("-" included), else ERR. */
  private static String errorCode(String error) {
    int sp = error.indexOf(' ');
    return sp < 0 || sp >= 31 ? "ERR" : error.substring(0, sp);
  }

  /** Redis's message: the name and then arguments, each cut (as C strings) so the arguments stay near 128 bytes. */
  private static String unknownCommand(Args a) {
    StringBuilder sb = new StringBuilder("ERR unknown command '").append(a.echo(0, 128))
        .append("', with args beginning with: ");
    int argsBytes = 0;
    for (int i = 1; i < a.count() && argsBytes < 128; i++) {
      int room = 128 - argsBytes;
      sb.append('\'').append(a.echo(i, room)).append("' ");
      argsBytes += a.echoLength(i, room) + 3;
    }
    return sb.toString();
  }

  /** enable-debug-command and friends: "yes", "no", or "local" (loopback and unix socket connections only). */
  private static boolean protectedActionAllowed(Client c, String setting) {
    if ("yes".equals(setting)) return true;
    if (!"local".equals(setting)) return false;
    return c.unixSocket || c.addr.startsWith("127.") || c.addr.startsWith("0:0:0:0:0:0:0:1") || c.addr.startsWith("::1");
  }

  /**
   * Secrets are never shown by MONITOR or SLOWLOG: every argument of AUTH, the user and password after HELLO's
   * AUTH, the password after MIGRATE's AUTH/AUTH2, and every argument of ACL SETUSER.
   */
  static boolean[] redactions(Args a, CommandSpec cmd) {
    String n = cmd.parent() != null ? cmd.parent().name : cmd.name;
    boolean[] r = null;
    if (n.equals("auth")) {
      r = new boolean[a.count()];
      for (int i = 1; i < r.length; i++) r[i] = true;
    } else if (cmd.fullName.equals("acl|setuser")) {
      r = new boolean[a.count()];
      for (int i = 2; i < r.length; i++) r[i] = true;
    } else if (n.equals("hello") || n.equals("migrate")) {
      for (int i = 1; i < a.count(); i++) {
        int secrets = a.is(i, "auth") ? (n.equals("hello") ? 2 : 1) : a.is(i, "auth2") ? 2 : 0;
        for (int k = 1; k <= secrets && i + k < a.count(); k++) {
          if (r == null) r = new boolean[a.count()];
          r[i + k] = true;
        }
      }
    }
    return r;
  }

  private static byte[][] slowlogArgs(Args a, CommandSpec cmd) {
    int n = Math.min(a.count(), 32);
    byte[][] r = new byte[n][];
    boolean[] redact = redactions(a, cmd);
    for (int i = 0; i < n; i++) {
      if (i == 31 && a.count() > 32) {
        r[i] = ("... (" + (a.count() - 31) + " more arguments)").getBytes(StandardCharsets.UTF_8);
      } else if (redact != null && redact[i]) {
        r[i] = "(redacted)".getBytes(StandardCharsets.UTF_8);
      } else if (a.len(i) > 128) {
        byte[] head = Arrays.copyOfRange(a.buf(i), a.off(i), a.off(i) + 128);
        byte[] tail = ("... (" + (a.len(i) - 128) + " more bytes)").getBytes(StandardCharsets.UTF_8);
        byte[] b = Arrays.copyOf(head, 128 + tail.length);
        System.arraycopy(tail, 0, b, 128, tail.length);
        r[i] = b;
      } else {
        r[i] = a.bytes(i);
      }
    }
    return r;
  }

  private static long nowMicros() {
    Instant t = Instant.now();
    return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
  }

  private void feedMonitors(Client c, Args a, CommandSpec cmd, long us) {
    String line = monitorLine(us, c.db.index, c.addr, a, cmd);
    for (Client m : server.clients.monitors()) {
      if (m == c && c.monitor && cmd.name.equals("monitor")) continue;
      m.out.simple(line);
      m.markPendingFlush();
    }
  }

  /** True when some client runs MONITOR (data loop). */
  public boolean hasMonitors() {
    return server.clients.hasMonitors();
  }

  /** One MONITOR line: time, database, where the command came from ({@code lua} for a script), arguments. */
  public static String monitorLine(long us, int db, String from, Args a, CommandSpec cmd) {
    StringBuilder sb = new StringBuilder();
    sb.append(us / 1_000_000).append('.').append(String.format("%06d", us % 1_000_000));
    sb.append(" [").append(db).append(' ').append(from).append(']');
    boolean[] redact = redactions(a, cmd);
    for (int i = 0; i < a.count(); i++) {
      sb.append(' ');
      if (redact != null && redact[i]) sb.append("\"(redacted)\"");
      else Repr.append(sb, a.buf(i), a.off(i), a.len(i));
    }
    return sb.toString();
  }

  /** Feeds MONITOR lines built elsewhere (a script's commands, once it ended; EVAL itself, before it runs). */
  public void feedMonitors(List<String> lines) {
    for (Client m : server.clients.monitors()) {
      for (String line : lines) m.out.simple(line);
      m.markPendingFlush();
    }
  }

  /** The current time in microseconds, as MONITOR shows it. */
  public static long monitorMicros() {
    return nowMicros();
  }

}
