package dev.vireo.command;

import static dev.vireo.server.CommandSpec.ALLOW_BUSY;
import static dev.vireo.server.CommandSpec.DENYOOM;
import static dev.vireo.server.CommandSpec.LOADING;
import static dev.vireo.server.CommandSpec.MAY_REPLICATE;
import static dev.vireo.server.CommandSpec.MOVABLEKEYS;
import static dev.vireo.server.CommandSpec.NOSCRIPT;
import static dev.vireo.server.CommandSpec.NO_MANDATORY_KEYS;
import static dev.vireo.server.CommandSpec.READONLY;
import static dev.vireo.server.CommandSpec.SKIP_MONITOR;
import static dev.vireo.server.CommandSpec.STALE;
import static dev.vireo.server.CommandSpec.WRITE;

import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.scripting.ScriptEngine;
import dev.vireo.server.CommandTable;
import dev.vireo.server.Server;
import java.util.List;

/**
 * EVAL script numkeys [key ...] [arg ...], EVALSHA sha1 numkeys ..., EVAL_RO, EVALSHA_RO; SCRIPT LOAD script |
 * EXISTS sha1 ... | FLUSH [ASYNC|SYNC] | KILL | DEBUG NO (no Lua debugger: YES and SYNC are refused) | HELP, run by the {@link ScriptEngine} engine. FUNCTION FLUSH
 * [ASYNC|SYNC] exists (there are no functions yet) because tools and test suites call it to reset a server.
 */
final class ScriptingCommands {
  private ScriptingCommands() {}

  static void register(CommandTable t, Server server) {
    ScriptEngine eval = server == null ? null : new ScriptEngine(server);
    int f = NOSCRIPT | STALE | SKIP_MONITOR | NO_MANDATORY_KEYS | MOVABLEKEYS;
    t.add("eval", -3, f | MAY_REPLICATE, 0, 0, 0, "scripting", "2.6.0", "Executes a server-side Lua script.",
        (c, a) -> eval.eval(c, a, false, false))
        .flagsFrom(a -> eval.evalFlags(f | MAY_REPLICATE, a, false));
    t.add("evalsha", -3, f | MAY_REPLICATE, 0, 0, 0, "scripting", "2.6.0", "Executes a server-side Lua script by SHA1 digest.",
        (c, a) -> eval.eval(c, a, true, false))
        .flagsFrom(a -> eval.evalFlags(f | MAY_REPLICATE, a, true));
    t.add("eval_ro", -3, f | READONLY, 0, 0, 0, "scripting", "7.0.0", "Executes a read-only server-side Lua script.",
        (c, a) -> eval.eval(c, a, false, true))
        .flagsFrom(a -> eval.evalFlags(f | READONLY, a, false));
    t.add("evalsha_ro", -3, f | READONLY, 0, 0, 0, "scripting", "7.0.0",
        "Executes a read-only server-side Lua script by SHA1 digest.",
        (c, a) -> eval.eval(c, a, true, true))
        .flagsFrom(a -> eval.evalFlags(f | READONLY, a, true));
    t.add("fcall", -3, f | MAY_REPLICATE, 0, 0, 0, "scripting", "7.0.0", "Invokes a function.",
        (c, a) -> eval.fcall(c, a, false))
        .flagsFrom(a -> eval.fcallFlags(f | MAY_REPLICATE, a));
    t.add("fcall_ro", -3, f | READONLY, 0, 0, 0, "scripting", "7.0.0", "Invokes a read-only function.",
        (c, a) -> eval.fcall(c, a, true))
        .flagsFrom(a -> eval.fcallFlags(f | READONLY, a));
    t.add("function", -2, 0, 0, 0, 0, "scripting", "7.0.0", "A container for function commands.", null)
        .sub("delete", 3, WRITE | NOSCRIPT, 0, 0, 0, "7.0.0", "Deletes a library and its functions.",
            eval::functionDelete)
        .sub("dump", 2, NOSCRIPT, 0, 0, 0, "7.0.0", "Dumps all libraries into a serialized binary payload.",
            (c, a) -> eval.functionDump(c))
        .sub("flush", -2, WRITE | NOSCRIPT, 0, 0, 0, "7.0.0", "Deletes all libraries and functions.", (c, a) -> {
          flushMode(a, "ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
          eval.functionFlush(c);
        })
        .sub("kill", 2, NOSCRIPT | ALLOW_BUSY, 0, 0, 0, "7.0.0", "Terminates a function during execution.",
            (c, a) -> eval.kill(c, true))
        .sub("list", -2, NOSCRIPT, 0, 0, 0, "7.0.0", "Returns information about all libraries.", eval::functionList)
        .sub("load", -3, WRITE | DENYOOM | NOSCRIPT, 0, 0, 0, "7.0.0", "Creates a library.", eval::functionLoad)
        .sub("restore", -3, WRITE | DENYOOM | NOSCRIPT, 0, 0, 0, "7.0.0", "Restores all libraries from a payload.",
            eval::functionRestore)
        .sub("stats", 2, NOSCRIPT | ALLOW_BUSY, 0, 0, 0, "7.0.0", "Returns information about a function during "
            + "execution.", (c, a) -> eval.functionStats(c))
        .sub("help", 2, LOADING | STALE, 0, 0, 0, "7.0.0", "Returns helpful text about the different subcommands.",
            (c, a) -> Help.reply(c, "FUNCTION", List.of(
                "LOAD [REPLACE] <FUNCTION CODE>",
                "    Create a new library with the given library name and code.",
                "DELETE <LIBRARY NAME>",
                "    Delete the given library.",
                "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
                "    Return general information on all the libraries:",
                "    * Library name",
                "    * The engine used to run the Library",
                "    * Library description",
                "    * Functions list",
                "    * Library code (if WITHCODE is given)",
                "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
                "STATS",
                "    Return information about the current function running:",
                "    * Function name",
                "    * Command used to run the function",
                "    * Duration in MS that the function is running",
                "    If no function is running, return nil",
                "    In addition, returns a list of available engines.",
                "KILL",
                "    Kill the current running function.",
                "FLUSH [ASYNC|SYNC]",
                "    Delete all the libraries.",
                "    When called without the optional mode argument, the behavior is determined by the",
                "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                "    * ASYNC: Asynchronously flush the libraries.",
                "    * SYNC: Synchronously flush the libraries.",
                "DUMP",
                "    Return a serialized payload representing the current libraries, can be restored using FUNCTION "
                    + "RESTORE command",
                "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
                "    Restore the libraries represented by the given payload, it is possible to give a restore policy "
                    + "to",
                "    control how to handle existing libraries (default APPEND):",
                "    * FLUSH: delete all existing libraries.",
                "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
                "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
                "      libraries with the new libraries (notice that even on this option there is a chance of failure",
                "      in case of functions name collision with another library).")));
    t.add("script", -2, 0, 0, 0, 0, "scripting", "2.6.0", "A container for Lua scripts management commands.", null)
        .sub("flush", -2, NOSCRIPT, 0, 0, 0, "2.6.0", "Removes all server-side Lua scripts from the script cache.",
            (c, a) -> {
              flushMode(a, "ERR SCRIPT FLUSH only support SYNC|ASYNC option");
              eval.flush(c);
            })
        .sub("debug", 3, NOSCRIPT, 0, 0, 0, "3.2.0", "Sets the debug mode of server-side Lua scripts.", (c, a) -> {
          // as Redis: refused while earlier replies wait to be written (a pipeline, or inside EXEC)
          if (!c.out.isEmpty()) throw new CommandError("ERR SCRIPT DEBUG must be called outside a pipeline");
          if (a.is(2, "no")) {
            c.out.ok();
          } else if (a.is(2, "yes") || a.is(2, "sync")) {
            throw new CommandError("ERR the Lua debugger (LDB) is not available in this server");
          } else {
            throw new CommandError("ERR Use SCRIPT DEBUG YES/SYNC/NO");
          }
        })
        .sub("exists", -3, NOSCRIPT, 0, 0, 0, "2.6.0",
            "Determines whether server-side Lua scripts exist in the script cache.", eval::exists)
        .sub("help", 2, LOADING | STALE, 0, 0, 0, "5.0.0", "Returns helpful text about the different subcommands.",
            (c, a) -> Help.reply(c, "SCRIPT", List.of(
                "DEBUG (YES|SYNC|NO)",
                "    Set the debug mode for subsequent scripts executed.",
                "EXISTS <sha1> [<sha1> ...]",
                "    Return information about the existence of the scripts in the script cache.",
                "FLUSH [ASYNC|SYNC]",
                "    Flush the Lua scripts cache. Very dangerous on replicas.",
                "    When called without the optional mode argument, the behavior is determined by the",
                "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                "    * ASYNC: Asynchronously flush the scripts cache.",
                "    * SYNC: Synchronously flush the scripts cache.",
                "KILL",
                "    Kill the currently executing Lua script.",
                "LOAD <script>",
                "    Load a script into the scripts cache without executing it.")))
        .sub("kill", 2, NOSCRIPT | ALLOW_BUSY, 0, 0, 0, "2.6.0", "Terminates a server-side Lua script during execution.",
            (c, a) -> eval.kill(c, false))
        .sub("load", 3, NOSCRIPT | STALE, 0, 0, 0, "2.6.0", "Loads a server-side Lua script to the script cache.",
            eval::load);
  }

  private static void flushMode(Args a, String error) {
    if (a.count() > 3 || (a.count() == 3 && !a.is(2, "async") && !a.is(2, "sync"))) throw new CommandError(error);
  }
}
