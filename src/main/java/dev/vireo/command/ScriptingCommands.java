package dev.vireo.command;

import static dev.vireo.server.CommandSpec.NOSCRIPT;
import static dev.vireo.server.CommandSpec.WRITE;

import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.server.CommandTable;
import java.util.List;

/**
 * FUNCTION FLUSH [ASYNC|SYNC] and SCRIPT FLUSH [ASYNC|SYNC]: Vireo runs no scripts or functions, so there is
 * nothing to flush; the commands exist because tools and test suites call them to reset a server.
 */
final class ScriptingCommands {
  private ScriptingCommands() {}

  static void register(CommandTable t) {
    t.add("function", -2, 0, 0, 0, 0, "scripting", "7.0.0", "A container for function commands.", null)
        .sub("flush", -2, WRITE | NOSCRIPT, 0, 0, 0, "7.0.0", "Deletes all libraries and functions.", (c, a) -> {
          flushMode(a, "ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
          c.out.ok();
        })
        .sub("help", 2, 0, 0, 0, 0, "7.0.0", "Returns helpful text about the different subcommands.",
            (c, a) -> Help.reply(c, "FUNCTION", List.of(
                "FLUSH [ASYNC|SYNC]",
                "    Delete all the libraries. When called without the optional mode argument, the behavior is",
                "    determined by the lazyfree-lazy-user-flush configuration directive.")));
    t.add("script", -2, 0, 0, 0, 0, "scripting", "2.6.0", "A container for Lua scripts management commands.", null)
        .sub("flush", -2, NOSCRIPT, 0, 0, 0, "2.6.0", "Removes all server-side Lua scripts from the script cache.",
            (c, a) -> {
              flushMode(a, "ERR SCRIPT FLUSH only support SYNC|ASYNC option");
              c.out.ok();
            })
        .sub("help", 2, 0, 0, 0, 0, "5.0.0", "Returns helpful text about the different subcommands.",
            (c, a) -> Help.reply(c, "SCRIPT", List.of(
                "FLUSH [ASYNC|SYNC]",
                "    Flush the Lua scripts cache. Very dangerous on replicas.")));
  }

  private static void flushMode(Args a, String error) {
    if (a.count() > 3 || (a.count() == 3 && !a.is(2, "async") && !a.is(2, "sync"))) throw new CommandError(error);
  }
}
