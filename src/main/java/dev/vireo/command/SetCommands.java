package dev.vireo.command;

/** Sets: SADD SREM SCARD SISMEMBER SMISMEMBER SMEMBERS SRANDMEMBER SPOP SMOVE SINTER SINTERCARD SUNION SDIFF and STORE variants, SSCAN. */
final class SetCommands {
  private SetCommands() {}

  static void register(CommandTable t) {}
}
