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
 * SCRIPT KILL (FUNCTION KILL for a function) sets a volatile flag that the Lua count hook (every 100000 instructions, installed before the
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
