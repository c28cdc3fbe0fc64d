package dev.vireo.command;

/** SORT and SORT_RO: BY, GET, LIMIT, ASC/DESC, ALPHA, STORE. */
final class SortCommands {
  private SortCommands() {}

  static void register(CommandTable t) {}
}
