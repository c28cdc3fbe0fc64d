package dev.vireo.command;

import static dev.vireo.server.CommandSpec.FAST;
import static dev.vireo.server.CommandSpec.LOADING;
import static dev.vireo.server.CommandSpec.NOSCRIPT;
import static dev.vireo.server.CommandSpec.SKIP_SLOWLOG;
import static dev.vireo.server.CommandSpec.STALE;

import dev.vireo.server.CommandSpec;
import dev.vireo.server.CommandTable;

/**
 * Transactions: MULTI, EXEC, DISCARD, WATCH key [key ...], UNWATCH. Queueing happens in the dispatcher
 * ({@code Server.execute}); EXEC runs the queue in one go on the data loop, so nothing interleaves with it.
 */
final class TransactionCommands {
  private TransactionCommands() {}

  static void register(CommandTable t) {
    int f = NOSCRIPT | LOADING | STALE | CommandSpec.ALLOW_BUSY;
    t.add("multi", 1, f | FAST, 0, 0, 0, "transactions", "1.2.0", "Starts a transaction.",
        (c, a) -> c.server().transactions.multi(c));
    t.add("exec", 1, NOSCRIPT | LOADING | STALE | SKIP_SLOWLOG, 0, 0, 0, "transactions", "1.2.0",
        "Executes all commands in a transaction.", (c, a) -> c.server().transactions.exec(c));
    t.add("discard", 1, f | FAST, 0, 0, 0, "transactions", "2.0.0", "Discards a transaction.",
        (c, a) -> c.server().transactions.discard(c));
    t.add("watch", -2, f | FAST, 1, -1, 1, "transactions", "2.2.0",
        "Monitors changes to keys to determine the execution of a transaction.", (c, a) -> c.server().transactions.watch(c, a));
    t.add("unwatch", 1, f | FAST, 0, 0, 0, "transactions", "2.2.0",
        "Forgets about watched keys of a transaction.", (c, a) -> c.server().transactions.unwatch(c));
  }
}
