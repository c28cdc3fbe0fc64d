package dev.vireo.command;

/** Transactions: MULTI EXEC DISCARD WATCH UNWATCH. */
final class TransactionCommands {
  private TransactionCommands() {}

  static void register(CommandTable t) {}
}
