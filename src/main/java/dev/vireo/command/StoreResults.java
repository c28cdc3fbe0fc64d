package dev.vireo.command;

import dev.vireo.server.Client;
import dev.vireo.store.Entry;

/** What the store commands (SINTERSTORE, ZUNIONSTORE, ZRANGESTORE, GEOSEARCHSTORE, ...) share. */
final class StoreResults {
  private StoreResults() {}

  /**
   * An empty result: the destination is deleted as stored, expired or not (Redis's dbDelete), with its {@code del}
   * event and one change, and the reply is {@code :0}.
   */
  static void empty(Client c, byte[] dst) {
    Entry old = c.db.stored(dst);
    if (old != null) {
      c.db.remove(old);
      Notify.del(c, dst);
      c.server().addDirty(1);
    }
    c.out.integer(0);
  }
}
