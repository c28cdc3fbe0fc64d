package dev.vireo.acl;

import dev.vireo.server.CommandSpec;
import dev.vireo.server.CommandTable;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The command table as the ACL rules see it: an id per command and subcommand (a bit of a selector's command
 * bitmap) and each one's ACL categories, as a mask over {@link #CATEGORIES}. Built once the table is filled.
 */
final class Catalog {
  /** Redis's ACL categories in the order of its category bits (ACL CAT lists them so). */
  static final List<String> CATEGORIES = List.of("keyspace", "read", "write", "set", "sortedset", "list", "hash",
      "string", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking",
      "dangerous", "connection", "transaction", "scripting");

  private final CommandTable table;
  private final Function<CommandSpec, List<String>> categoriesOf;
  private List<CommandSpec> commands;
  private Map<CommandSpec, Integer> ids;
  private long[] masks;

  Catalog(CommandTable table, Function<CommandSpec, List<String>> categoriesOf) {
    this.table = table;
    this.categoriesOf = categoriesOf;
  }

  private void build() {
    if (commands != null) return;
    List<CommandSpec> all = new ArrayList<>();
    Map<CommandSpec, Integer> idOf = new IdentityHashMap<>();
    for (CommandSpec s : table.all()) {
      idOf.put(s, all.size());
      all.add(s);
      for (CommandSpec sub : s.subcommands().values()) {
        idOf.put(sub, all.size());
        all.add(sub);
      }
    }
    ids = idOf;
    commands = all;
  }

  /**
   * The category masks, computed when a rule first names a category: they read the commands' descriptions, which
   * a node whose users all have {@code +@all} (the default) never needs, so its start does not pay for them.
   */
  private long[] masks() {
    if (masks != null) return masks;
    build();
    long[] m = new long[commands.size()];
    for (int i = 0; i < m.length; i++) {
      for (String c : categoriesOf.apply(commands.get(i))) {
        int bit = CATEGORIES.indexOf(c.startsWith("@") ? c.substring(1) : c);
        if (bit >= 0) m[i] |= 1L << bit;
      }
    }
    masks = m;
    return m;
  }

  /** Every command, each container followed by its subcommands, in the table's order. */
  List<CommandSpec> commands() {
    build();
    return commands;
  }

  int size() {
    return commands().size();
  }

  int id(CommandSpec s) {
    build();
    Integer id = ids.get(s);
    return id == null ? -1 : id;
  }

  CommandSpec command(int id) {
    return commands().get(id);
  }

  long mask(int id) {
    return masks()[id];
  }

  /** The category's bit, or -1 when there is no such category (names are case-insensitive). */
  static long categoryBit(String name) {
    int i = CATEGORIES.indexOf(name.toLowerCase(Locale.ROOT));
    return i < 0 ? -1 : 1L << i;
  }

  /** A command by name or a subcommand by "container|sub" (case-insensitive), or null. */
  CommandSpec lookup(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    int bar = lower.indexOf('|');
    if (bar < 0) return table.get(lower);
    CommandSpec parent = table.get(lower.substring(0, bar));
    if (parent == null) return null;
    return parent.subcommands().get(lower.substring(bar + 1));
  }
}
