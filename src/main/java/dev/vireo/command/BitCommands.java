package dev.vireo.command;

/** Bit and string-algorithm commands: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO, LCS. */
final class BitCommands {
  private BitCommands() {}

  static void register(CommandTable t) {}
}
