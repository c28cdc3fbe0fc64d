package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.config.ServerConfig;
import dev.vireo.server.CommandMeta;
import dev.vireo.server.CommandSpec;
import dev.vireo.server.CommandTable;
import dev.vireo.server.Server;
import dev.vireo.util.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The code's declarations (arity, flags, first/last/step) and the command descriptions (commands.json and
 * commands-vireo.json) agree: every command is described, and the key range the code declares is the one Redis
 * derives from the described key specs.
 */
class CommandMetaTest {
  /** Vireo's command table, as a node assembles it. */
  private static CommandTable table() {
    CommandTable t = new CommandTable();
    Log log = new Log();
    log.output(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    Server s = new Server(ServerConfig.defaults(), log, t);
    Commands.register(t, new Node(s, null, null, null, null));
    return t;
  }

  private static List<CommandSpec> everyCommand() {
    CommandTable t = table();
    List<CommandSpec> all = new ArrayList<>();
    for (CommandSpec s : t.all()) {
      all.add(s);
      all.addAll(s.subcommands().values());
    }
    return all;
  }

  @Test
  void everyCommandIsDescribed() {
    List<String> undescribed = new ArrayList<>();
    for (CommandSpec s : everyCommand()) {
      if (s.meta() == null) undescribed.add(s.fullName);
    }
    assertEquals(List.of(), undescribed, "commands without an entry in commands.json or commands-vireo.json");
  }

  @Test
  void declaredKeyRangeIsTheOneTheKeySpecsGive() {
    List<String> wrong = new ArrayList<>();
    for (CommandSpec s : everyCommand()) {
      CommandMeta m = s.meta();
      if (m == null) continue;
      String declared = s.firstKey + " " + s.lastKey + " " + s.step;
      String derived = m.firstKey + " " + m.lastKey + " " + m.step;
      if (!declared.equals(derived)) {
        wrong.add(s.fullName + " declares " + declared + ", its key specs give " + derived);
      }
      if (s.has(CommandSpec.MOVABLEKEYS) && !m.movableKeys) wrong.add(s.fullName + " declares movablekeys");
    }
    assertEquals(List.of(), wrong);
  }

  @Test
  void movableKeysFollowTheKeySpecs() {
    CommandTable t = table();
    // a keynum spec (ZUNIONSTORE), unknown specs (SORT), a keyword spec (GEORADIUS ... STORE): movable
    for (String name : List.of("zunionstore", "lmpop", "sort", "georadius", "xread", "eval")) {
      assertEquals(true, t.get(name).flagNames().contains("movablekeys"), name);
    }
    // one index/range spec, or consecutive ones: not movable
    for (String name : List.of("get", "set", "mset", "lmove", "smove")) {
      assertEquals(false, t.get(name).flagNames().contains("movablekeys"), name);
    }
  }
}
