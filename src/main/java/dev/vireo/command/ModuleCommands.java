package dev.vireo.command;

import static dev.vireo.server.CommandSpec.ADMIN;
import static dev.vireo.server.CommandSpec.LOADING;
import static dev.vireo.server.CommandSpec.NOSCRIPT;
import static dev.vireo.server.CommandSpec.NO_ASYNC_LOADING;
import static dev.vireo.server.CommandSpec.PROTECTED;
import static dev.vireo.server.CommandSpec.STALE;

import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.server.Client;
import dev.vireo.server.CommandTable;
import java.util.List;

/**
 * {@code MODULE LIST | LOAD path [arg ...] | LOADEX path [CONFIG name value ...] [ARGS arg ...] | UNLOAD name |
 * HELP}. Vireo runs no Redis modules (they are native libraries): the list is always empty, and loading fails with
 * the error Redis gives for a library that does not load, after logging why. LOAD, LOADEX and UNLOAD are refused
 * unless {@code enable-module-command} allows them, as in Redis.
 */
final class ModuleCommands {
  private ModuleCommands() {}

  static final String LOAD_FAILED = "ERR Error loading the extension. Please check the server logs.";
  static final String NO_SUCH_MODULE = "ERR Error unloading module: no such module with that name";

  static void register(CommandTable t) {
    int load = ADMIN | NOSCRIPT | NO_ASYNC_LOADING | PROTECTED;
    t.add("module", -2, 0, 0, 0, 0, "server", "4.0.0", "A container for module commands", null)
        .sub("list", 2, ADMIN | NOSCRIPT, 0, 0, 0, "4.0.0", "List all modules loaded by the server",
            (c, a) -> c.out.array(0))
        .sub("load", -3, load, 0, 0, 0, "4.0.0", "Load a module", ModuleCommands::load)
        .sub("loadex", -3, load, 0, 0, 0, "7.0.0", "Load a module with extended parameters",
            ModuleCommands::load)
        .sub("unload", 3, load, 0, 0, 0, "4.0.0", "Unload a module", (c, a) -> {
          throw new CommandError(NO_SUCH_MODULE);
        })
        .sub("help", 2, LOADING | STALE, 0, 0, 0, "5.0.0", "Show helpful text about the different subcommands",
            (c, a) -> Help.reply(c, "MODULE", List.of(
                "LIST",
                "    Return a list of loaded modules.",
                "LOAD <path> [<arg> ...]",
                "    Load a module library from <path>, passing to it any optional arguments.",
                "LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]",
                "    Load a module library from <path>, while passing it module configurations and optional arguments.",
                "UNLOAD <name>",
                "    Unload a module.")));
  }

  private static void load(Client c, Args a) {
    c.server().log.warn("Module " + a.str(2) + " failed to load: this server does not run Redis modules");
    throw new CommandError(LOAD_FAILED);
  }
}
