package dev.vireo.command;

import static dev.vireo.server.CommandSpec.LOADING;
import static dev.vireo.server.CommandSpec.STALE;

import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.resp.Errors;
import dev.vireo.server.Client;
import dev.vireo.server.CommandMeta;
import dev.vireo.server.CommandSpec;
import dev.vireo.server.CommandTable;
import dev.vireo.server.KeySpec;
import dev.vireo.server.KeySpec.KeyRef;
import dev.vireo.util.Glob;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * COMMAND, COMMAND COUNT | INFO [name...] | DOCS [name...] | GETKEYS cmd args... | GETKEYSANDFLAGS cmd args... |
 * LIST [FILTERBY MODULE m|ACLCAT c|PATTERN p] | HELP. Arity, flags and first/last/step come from the code's
 * declarations, the rest from each command's {@link CommandMeta}.
 */
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
            (c, a) -> getkeys(c, a, false))
        .sub("getkeysandflags", -4, F, 0, 0, 0, "7.0.0",
            "Extracts the key names and access flags for an arbitrary command.", (c, a) -> getkeys(c, a, true))
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
                "    Return the keys from a full Redis command.",
                "GETKEYSANDFLAGS <full-command>",
                "    Return the keys and the access flags from a full Redis command.")));
  }

  /** A command by name, or a subcommand by "parent|sub". */
  private static CommandSpec find(CommandTable t, String name) {
    int bar = name.indexOf('|');
    if (bar < 0) return t.get(name);
    CommandSpec p = t.get(name.substring(0, bar));
    return p == null ? null : p.subcommands().get(name.substring(bar + 1));
  }

  static void info(Client c, CommandSpec s) {
    c.out.array(10);
    c.out.bulk(s.fullName);
    c.out.integer(s.arity);
    List<String> flags = s.flagNames();
    c.out.set(flags.size());
    for (String f : flags) c.out.simple(f);
    c.out.integer(s.firstKey).integer(s.lastKey).integer(s.step);
    List<String> cats = s.aclCategories();
    c.out.set(cats.size());
    for (String cat : cats) c.out.simple(cat);
    CommandMeta m = s.meta();
    List<String> tips = m == null ? List.of() : m.tips;
    c.out.set(tips.size());
    for (String tip : tips) c.out.bulk(tip);
    List<KeySpec> specs = m == null ? List.of() : m.keySpecs;
    c.out.set(specs.size());
    for (KeySpec k : specs) keySpec(c, k);
    // as Redis: an empty set when there are none, else an array
    if (s.subcommands().isEmpty()) c.out.set(0);
    else c.out.array(s.subcommands().size());
    for (CommandSpec sub : s.subcommands().values()) info(c, sub);
  }

  private static void keySpec(Client c, KeySpec k) {
    c.out.map(k.notes != null ? 4 : 3);
    if (k.notes != null) c.out.bulk("notes").bulk(k.notes);
    c.out.bulk("flags").set(k.flags.size());
    for (String f : k.flags) c.out.simple(f);
    c.out.bulk("begin_search").map(2).bulk("type");
    switch (k.begin) {
      case INDEX -> c.out.bulk("index").bulk("spec").map(1).bulk("index").integer(k.index);
      case KEYWORD -> c.out.bulk("keyword").bulk("spec").map(2).bulk("keyword").bulk(k.keyword).bulk("startfrom")
          .integer(k.index);
      default -> c.out.bulk("unknown").bulk("spec").map(0);
    }
    c.out.bulk("find_keys").map(2).bulk("type");
    switch (k.find) {
      case RANGE -> c.out.bulk("range").bulk("spec").map(3).bulk("lastkey").integer(k.a).bulk("keystep")
          .integer(k.b).bulk("limit").integer(k.c);
      case KEYNUM -> c.out.bulk("keynum").bulk("spec").map(3).bulk("keynumidx").integer(k.a).bulk("firstkey")
          .integer(k.b).bulk("keystep").integer(k.c);
      default -> c.out.bulk("unknown").bulk("spec").map(0);
    }
  }

  static void docs(Client c, CommandSpec s) {
    boolean subs = !s.subcommands().isEmpty();
    CommandMeta m = s.meta();
    if (m == null) {
      c.out.map(subs ? 4 : 3);
      c.out.bulk("summary").bulk(s.summary);
      c.out.bulk("since").bulk(s.since);
      c.out.bulk("group").bulk(s.group);
    } else {
      JsonObject d = m.docs;
      c.out.map(d.size() + (subs ? 1 : 0));
      for (Map.Entry<String, Object> e : d) {
        c.out.bulk(e.getKey());
        switch (e.getKey()) {
          case "doc_flags" -> statusSet(c, (JsonArray) e.getValue());
          case "history" -> {
            JsonArray h = (JsonArray) e.getValue();
            c.out.set(h.size());
            for (int i = 0; i < h.size(); i++) {
              JsonArray entry = h.getJsonArray(i);
              c.out.array(entry.size());
              for (int j = 0; j < entry.size(); j++) c.out.bulk(entry.getString(j));
            }
          }
          case "arguments" -> arguments(c, (JsonArray) e.getValue());
          default -> c.out.bulk(String.valueOf(e.getValue()));
        }
      }
    }
    if (subs) {
      c.out.bulk("subcommands").map(s.subcommands().size());
      for (CommandSpec sub : s.subcommands().values()) {
        c.out.bulk(sub.fullName);
        docs(c, sub);
      }
    }
  }

  private static void statusSet(Client c, JsonArray a) {
    c.out.set(a.size());
    for (int i = 0; i < a.size(); i++) c.out.simple(a.getString(i));
  }

  private static void arguments(Client c, JsonArray args) {
    c.out.array(args.size());
    for (int i = 0; i < args.size(); i++) {
      JsonObject arg = args.getJsonObject(i);
      c.out.map(arg.size());
      for (Map.Entry<String, Object> e : arg) {
        c.out.bulk(e.getKey());
        switch (e.getKey()) {
          case "flags" -> statusSet(c, (JsonArray) e.getValue());
          case "key_spec_index" -> c.out.integer(((Number) e.getValue()).longValue());
          case "arguments" -> arguments(c, (JsonArray) e.getValue());
          default -> c.out.bulk(String.valueOf(e.getValue()));
        }
      }
    }
  }

  /** COMMAND GETKEYS / GETKEYSANDFLAGS command arg...: Redis's checks, in its order. */
  static void getkeys(Client c, Args a, boolean withFlags) {
    CommandSpec s = c.server().table().get(a.lower(2));
    int argc = a.count() - 2;
    if (s != null && s.isContainer() && argc >= 2) s = s.subcommands().get(a.lower(3));
    if (s == null) throw new CommandError("ERR Invalid command specified");
    if (!CommandMeta.hasKeys(s)) throw new CommandError("ERR The command has no key arguments");
    if (!s.arityOk(argc)) throw new CommandError("ERR Invalid number of arguments specified for command");
    List<KeyRef> keys = CommandMeta.keys(s, a, 2);
    if (keys.isEmpty()) {
      if (!s.has(CommandSpec.NO_MANDATORY_KEYS)) throw new CommandError("ERR Invalid arguments specified for command");
      c.out.array(0);
      return;
    }
    c.out.array(keys.size());
    for (KeyRef k : keys) {
      int i = k.pos() + 2;
      if (withFlags) c.out.array(2);
      c.out.bulk(a.buf(i), a.off(i), a.len(i));
      if (withFlags) {
        c.out.set(k.flags().size());
        for (String f : k.flags()) c.out.simple(f);
      }
    }
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
        if (category != null && !x.aclCategories().contains(category)) continue;
        names.add(x.fullName);
      }
    }
    c.out.array(names.size());
    for (String n : names) c.out.bulk(n);
  }
}
