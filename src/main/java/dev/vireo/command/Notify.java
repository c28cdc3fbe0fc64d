package dev.vireo.command;

import dev.vireo.resp.Args;
import dev.vireo.server.Client;
import dev.vireo.server.KeyspaceEvents;

/**
 * The command families' way to report keyspace events: about a key of the client's current database, given as
 * bytes or as an argument. Event names and order are Redis's; the classes are {@link KeyspaceEvents}'s.
 */
final class Notify {
  static final int GENERIC = KeyspaceEvents.GENERIC;
  static final int STRING = KeyspaceEvents.STRING;
  static final int LIST = KeyspaceEvents.LIST;
  static final int SET = KeyspaceEvents.SET;
  static final int HASH = KeyspaceEvents.HASH;
  static final int ZSET = KeyspaceEvents.ZSET;
  static final int STREAM = KeyspaceEvents.STREAM;

  private Notify() {}

  static void key(Client c, int classBit, String event, byte[] key) {
    c.server().events().notify(classBit, event, c.db.index, key);
  }

  static void arg(Client c, int classBit, String event, Args a, int i) {
    c.server().events().notify(classBit, event, c.db.index, a.buf(i), a.off(i), a.len(i));
  }

  /** The {@code del} event of a key removed because a command emptied it, or of a store command's empty result. */
  static void del(Client c, byte[] key) {
    key(c, GENERIC, "del", key);
  }

  static void del(Client c, Args a, int i) {
    arg(c, GENERIC, "del", a, i);
  }
}
