package dev.vireo.command;

/** DUMP key and RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]. */
final class DumpCommands {
  private DumpCommands() {}

  static void register(CommandTable t) {}
}
