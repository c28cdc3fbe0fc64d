package dev.vireo.command;

import dev.vireo.server.Client;
import java.util.List;

/** The HELP texts of container commands, in Redis's layout. */
final class Help {
  private Help() {}

  static final List<String> OBJECT = List.of(
      "ENCODING <key>",
      "    Return the kind of internal representation used in order to store the value",
      "    associated with a <key>.",
      "FREQ <key>",
      "    Return the access frequency index of the <key>. The returned integer is",
      "    proportional to the logarithm of the recent access frequency of the key.",
      "IDLETIME <key>",
      "    Return the idle time of the <key>, that is the approximated number of",
      "    seconds elapsed since the last access to the key.",
      "REFCOUNT <key>",
      "    Return the number of references of the value associated with the specified",
      "    <key>.");

  static void reply(Client c, String command, List<String> lines) {
    c.out.array(lines.size() + 3);
    c.out.simple(command + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    for (String l : lines) c.out.simple(l);
    c.out.simple("HELP");
    c.out.simple("    Prints this help.");
  }
}
