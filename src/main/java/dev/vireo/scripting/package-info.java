/**
 * Lua scripting as Redis 7.0 runs it: EVAL and its variants with the script cache, functions (FUNCTION ...,
 * FCALL) with their libraries, and the Lua 5.1 runtime (real Lua through JNI) with the environment Redis gives
 * scripts. {@link dev.vireo.scripting.ScriptEngine} is the engine of both; {@link dev.vireo.scripting.LuaRuntime}
 * one sandboxed Lua state with the {@code redis} table: one for scripts, a second for functions (with the loader
 * that gives library code Redis's restricted load environment), sharing the {@code Bridge} (redis.call and the
 * rest), the conversions of {@code Replies}, the script thread and busy handling.
 *
 * <h2>Threads and the keyspace handoff</h2>
 * Every script runs on one dedicated thread, {@code vireo-script} ({@link dev.vireo.scripting.ScriptThread}),
 * which owns the Lua states; nothing else touches them. The data loop (the RESP server's event loop) parses
 * EVAL, checks it, copies KEYS and ARGV, then hands the script and <em>the keyspace</em> to the script thread and
 * waits: a short spin, then parked, up to {@code busy-reply-threshold} (alias {@code lua-time-limit}). While the
 * script runs, its {@code redis.call}s execute through the {@link dev.vireo.server.Dispatcher} on the script
 * thread, as a script client, with the dispatcher's bookkeeping (statistics, propagation) as for any command. The
 * keyspace has exactly one owner at any time:
 * <ul>
 *   <li>handover: the data loop writes the task, then publishes it through a volatile field (and unparks the
 *   script thread), which reads that field before touching anything: everything the data loop did before
 *   happens-before the script;
 *   <li>return within the threshold: the script thread writes its result, then moves the task's atomic state
 *   RUNNING to DONE; the data loop sees DONE before it reads the result or the keyspace, and replies inline;
 *   <li>past the threshold: the data loop moves RUNNING to DETACHED (one compare-and-set decides the race with
 *   the end) and enters busy mode ({@link dev.vireo.server.Busy}): it goes on reading connections, answers
 *   {@code -BUSY} to everything but the allow-busy commands (SCRIPT KILL, SHUTDOWN NOSAVE, ...), defers the
 *   cron, blocked-client timeouts and the replica link's stream, and touches no keyspace, statistics or
 *   dispatcher state. When the script ends, the script thread posts the completion to the data loop's context
 *   (a queue handoff: happens-before), which replies, propagates, leaves busy mode and runs what it deferred.
 * </ul>
 *
 * <h2>Batches: one handover for many scripts</h2>
 * A handover costs two thread wake-ups, far more than a small script. So the script commands (EVAL, EVALSHA,
 * FCALL and their _RO variants) of a client reading its input are not run at once but queued: the dispatcher
 * runs the command's checks and the handler copies KEYS and ARGV as always, then the command's bookkeeping waits
 * ({@code Dispatcher.queue}, {@code completeQueued}). The queue runs, in one handover, as soon as any client is
 * about to execute a command that is not a script command, or else at the end of the event loop's turn (a task
 * posted on the data loop's context by the first client that ends its read with scripts queued); a client with
 * queued scripts reads nothing more until they are complete. On the script thread the runs go one after the
 * other, each opened and closed as its command's call (its {@code redis.call}s propagate as a unit with it);
 * the data loop waits meanwhile, so nothing interleaves. Back on the data loop each command ends in queue order:
 * reply, effects propagated (bare, or in MULTI/EXEC), statistics, exactly as if it had run inline. A script
 * command refused before it could be queued (NOSCRIPT, a bad key count) has its error placed after the queued
 * replies of its client. Not queued: scripts inside MULTI/EXEC, from the master's link, or while MONITOR runs
 * (it shows each EVAL just before its commands).
 *
 * <p>Why order and linearizability hold: the queue always runs before any other command executes, so the order
 * in which scripts and commands take effect on the keyspace (and reach replicas) is the order in which the data
 * loop read them, as without batches; what moves is only when the replies of script commands are sent, and a
 * client's later commands wait for those replies. A script's effects happen between its arrival and its reply,
 * and each client sees its replies in order, so every history is the one-by-one history of the same reads.
 * Only work that is not a client command (the cron's expiry, a timer, a replica's full sync) can come between a
 * queued script's arrival and its run, as it could have come before the script's read; and after a busy run,
 * the commands deferred during busy mode run before the rest of its batch, as commands read meanwhile.
 *
 * <p>busy-reply-threshold counts for each script of a batch, from its own start. A run past it detaches the
 * batch: busy mode as for a single script, every client with a run in the batch waits; when the run ends, the runs
 * up to it complete, busy mode ends, the runs after it are handed over again, and the clients go on.
 *
 * <p>SCRIPT KILL (FUNCTION KILL for a function) sets a volatile flag that the Lua count hook (every 100000 instructions, installed before the
 * debug library is removed) reads; a script that has called a write command cannot be killed (-UNKILLABLE).
 * A script inside MULTI/EXEC or sent by a master runs to its end without busy mode.
 *
 * <h2>Loading libraries</h2>
 * A library's code runs under a second count hook that stops it 500 ms after FUNCTION LOAD (or RESTORE, or an
 * RDB) started it. A loaded library waits aside in the functions state until installed, so FUNCTION RESTORE loads
 * every library of its payload first and changes nothing when one fails. Whether a run is on a stale replica is
 * decided on the data loop when the run is created and read by the bridge on the script thread.
 *
 * <h2>Replication</h2>
 * Effects only, as 7.0: the script's write commands are propagated by the dispatcher when EVAL completes, wrapped
 * in MULTI/EXEC when there are several; the EVAL itself never is; {@code redis.set_repl} without
 * {@code REPL_REPLICA} keeps the following commands from replicas. FUNCTION LOAD, DELETE, FLUSH and RESTORE
 * propagate as themselves; libraries are FUNCTION2 records in snapshots and are loaded from an RDB (startup, a
 * replica's full sync, DEBUG RELOAD) through {@link dev.vireo.server.ScriptInfo}.
 */
package dev.vireo.scripting;
