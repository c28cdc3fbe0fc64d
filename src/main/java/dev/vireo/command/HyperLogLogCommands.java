package dev.vireo.command;

/** HyperLogLog: PFADD PFCOUNT PFMERGE, in Redis's sparse/dense string representation. */
final class HyperLogLogCommands {
  private HyperLogLogCommands() {}

  static void register(CommandTable t) {}
}
