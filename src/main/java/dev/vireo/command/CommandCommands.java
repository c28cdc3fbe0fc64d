package dev.vireo.command;

import static dev.vireo.server.CommandSpec.LOADING;
import static dev.vireo.server.CommandSpec.STALE;

import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.resp.Errors;
import dev.vireo.server.Client;
import dev.vireo.server.CommandSpec;
import dev.vireo.server.CommandTable;
import dev.vireo.util.Glob;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** COMMAND, COMMAND COUNT | INFO [name...] | DOCS [name...] | GETKEYS cmd args... | LIST [FILTERBY ...] | HELP. */
final class CommandCommands {
  private CommandCommands() {}

  private static final int F = LOADING | STALE;

  static void register(CommandTable t) {
    t.add("command", -1, F, 0, 0, 0, "server", "2.8.13", "Returns detailed information about all commands.",
        (c, a) -> {
          c.out.array(t.size());
          for (CommandSpec s : t.all()) info(c, s);
        })
        .sub("count", 2, F, 0, 0, 0, "2.8.13", "Returns a count of commands.", (c, a) -> c.out.integer(t.size()))
        .sub("info", -2, F, 0, 0, 0, "2.8.13", "Returns information about one, multiple or all commands.",
            (c, a) -> {
              if (a.count() == 2) {
                c.out.array(t.size());
                for (CommandSpec s : t.all()) info(c, s);
                return;
              }
              c.out.array(a.count() - 2);
              for (int i = 2; i < a.count(); i++) {
                CommandSpec s = find(t, a.lower(i));
                if (s == null) c.out.nullBulk();
                else info(c, s);
              }
            })
        .sub("docs", -2, F, 0, 0, 0, "7.0.0", "Returns documentary information about one, multiple or all commands.",
            (c, a) -> {
              List<CommandSpec> specs = new ArrayList<>();
              if (a.count() == 2) specs.addAll(t.all());
              for (int i = 2; i < a.count(); i++) {
                CommandSpec s = find(t, a.lower(i));
                if (s != null) specs.add(s);
              }
              c.out.map(specs.size());
              for (CommandSpec s : specs) {
                c.out.bulk(s.fullName);
                docs(c, s);
              }
            })
        .sub("getkeys", -4, F, 0, 0, 0, "2.8.13", "Extracts the key names from an arbitrary command.",
            CommandCommands::getkeys)
        .sub("list", -2, F, 0, 0, 0, "7.0.0", "Returns a list of command names.", CommandCommands::list)
        .sub("help", 2, F, 0, 0, 0, "5.0.0", "Returns helpful text about the different subcommands.",
            (c, a) -> Help.reply(c, "COMMAND", List.of(
                "(no subcommand)",
                "    Return details about all Redis commands.",
                "COUNT",
                "    Return the total number of commands in this Redis server.",
                "LIST",
                "    Return a list of all commands in this Redis server.",
                "INFO [<command-name> ...]",
                "    Return details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "DOCS [<command-name> ...]",
                "    Return documentation details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "GETKEYS <full-command>",
                "    Return the keys from a full Redis command.")));
  }

  /** A command by name, or a subcommand by "parent|sub". */
  private static CommandSpec find(CommandTable t, String name) {
    int bar = name.indexOf('|');
    if (bar < 0) return t.get(name);
    CommandSpec p = t.get(name.substring(0, bar));
    return p == null ? null : p.subcommands().get(name.substring(bar + 1));
  }

  /** ACL categories in the order Redis lists them (the order of its category bits). */
  private static final List<String> CATEGORY_ORDER = List.of("@keyspace", "@read", "@write", "@set", "@sortedset",
      "@list", "@hash", "@string", "@bitmap", "@hyperloglog", "@geo", "@stream", "@pubsub", "@admin", "@fast",
      "@slow", "@blocking", "@dangerous", "@connection", "@transaction", "@scripting");

  static List<String> aclCategories(CommandSpec s) {
    if (s.isContainer()) return List.of("@slow"); // as Redis: a container is @slow only, whatever its group
    Set<String> cats = new HashSet<>();
    // as Redis: a read-only scripting command (EVAL_RO, FCALL_RO) is not @read
    boolean scripting = s.group.equals("scripting");
    if (s.has(CommandSpec.WRITE)) cats.add("@write");
    if (s.has(CommandSpec.READONLY) && !scripting) cats.add("@read");
    // @pubsub comes from the pubsub flag, as in Redis: not on the PUBSUB container nor on PUBSUB HELP
    if (s.has(CommandSpec.PUBSUB)) cats.add("@pubsub");
    switch (s.group) {
      case "generic" -> cats.add("@keyspace");
      case "string", "connection", "list", "hash", "set", "hyperloglog", "bitmap", "geo", "stream" ->
          cats.add("@" + s.group);
      case "transactions" -> cats.add("@transaction");
      case "scripting" -> {
        if (!s.isContainer()) cats.add("@scripting");
      }
      case "sorted-set" -> cats.add("@sortedset");
      default -> { }
    }
    if (s.has(CommandSpec.ADMIN)) {
      cats.add("@admin");
      cats.add("@dangerous");
    }
    cats.add(s.has(CommandSpec.FAST) ? "@fast" : "@slow");
    List<String> r = new ArrayList<>();
    for (String c : CATEGORY_ORDER) {
      if (cats.contains(c)) r.add(c);
    }
    return r;
  }

  static void info(Client c, CommandSpec s) {
    c.out.array(10);
    c.out.bulk(s.fullName);
    c.out.integer(s.arity);
    List<String> flags = s.flagNames();
    c.out.set(flags.size());
    for (String f : flags) c.out.simple(f);
    c.out.integer(s.firstKey).integer(s.lastKey).integer(s.step);
    List<String> cats = aclCategories(s);
    c.out.set(cats.size());
    for (String cat : cats) c.out.simple(cat);
    c.out.set(s.tips.size());
    for (String tip : s.tips) c.out.bulk(tip);
    if (s.keyNumIndex > 0) {
      c.out.set(1);
      c.out.map(s.keySpecNotes != null ? 4 : 3);
      if (s.keySpecNotes != null) c.out.bulk("notes").bulk(s.keySpecNotes);
      c.out.bulk("flags").set(s.keySpecFlags.size());
      for (String f : s.keySpecFlags) c.out.simple(f);
      c.out.bulk("begin_search").map(2).bulk("type").bulk("index").bulk("spec").map(1).bulk("index")
          .integer(s.keyNumIndex);
      c.out.bulk("find_keys").map(2).bulk("type").bulk("keynum").bulk("spec").map(3).bulk("keynumidx")
          .integer(0).bulk("firstkey").integer(1).bulk("keystep").integer(1);
    } else if (s.firstKey > 0) {
      c.out.set(1);
      c.out.map(3);
      c.out.bulk("flags").set(s.keySpecFlags.size());
      for (String f : s.keySpecFlags) c.out.simple(f);
      c.out.bulk("begin_search").map(2).bulk("type").bulk("index").bulk("spec").map(1).bulk("index")
          .integer(s.firstKey);
      c.out.bulk("find_keys").map(2).bulk("type").bulk("range").bulk("spec").map(3).bulk("lastkey")
          .integer(s.lastKey < 0 ? s.lastKey : s.lastKey - s.firstKey).bulk("keystep").integer(s.step)
          .bulk("limit").integer(0);
    } else {
      c.out.set(0);
    }
    c.out.set(s.subcommands().size());
    for (CommandSpec sub : s.subcommands().values()) info(c, sub);
  }

  static void docs(Client c, CommandSpec s) {
    boolean subs = !s.subcommands().isEmpty();
    c.out.map(subs ? 4 : 3);
    c.out.bulk("summary").bulk(s.summary);
    c.out.bulk("since").bulk(s.since);
    c.out.bulk("group").bulk(s.group);
    if (subs) {
      c.out.bulk("subcommands").map(s.subcommands().size());
      for (CommandSpec sub : s.subcommands().values()) {
        c.out.bulk(sub.fullName);
        docs(c, sub);
      }
    }
  }

  static void getkeys(Client c, Args a) {
    CommandSpec s = c.server().table().get(a.lower(2));
    if (s == null) throw new CommandError("ERR Invalid command specified");
    int argc = a.count() - 2;
    if (s.isContainer() && argc >= 2) {
      CommandSpec sub = s.subcommands().get(a.lower(3));
      if (sub != null) s = sub;
    }
    if (!s.arityOk(argc)) throw new CommandError("ERR Invalid number of arguments specified for command");
    List<Integer> idx = s.keyIndexes(a, 2);
    if (idx.isEmpty() && !s.has(CommandSpec.NO_MANDATORY_KEYS)) {
      throw new CommandError("ERR The command has no key arguments");
    }
    c.out.array(idx.size());
    for (int i : idx) c.out.bulk(a.buf(i + 2), a.off(i + 2), a.len(i + 2));
  }

  static void list(Client c, Args a) {
    String pattern = null;
    String category = null;
    if (a.count() == 5 && a.is(2, "filterby")) {
      if (a.is(3, "pattern")) pattern = a.str(4);
      else if (a.is(3, "aclcat")) category = "@" + a.lower(4);
      else if (a.is(3, "module")) {
        c.out.array(0);
        return;
      } else {
        throw new CommandError(Errors.SYNTAX);
      }
    } else if (a.count() != 2) {
      throw new CommandError(Errors.SYNTAX);
    }
    List<String> names = new ArrayList<>();
    for (CommandSpec s : c.server().table().all()) {
      List<CommandSpec> all = new ArrayList<>();
      all.add(s);
      all.addAll(s.subcommands().values());
      for (CommandSpec x : all) {
        if (pattern != null && !Glob.match(pattern, x.fullName, true)) continue;
        if (category != null && !aclCategories(x).contains(category)) continue;
        names.add(x.fullName);
      }
    }
    c.out.array(names.size());
    for (String n : names) c.out.bulk(n);
  }
}
