package dev.vireo.server;

import dev.vireo.config.ServerConfig;
import dev.vireo.store.Keyspace;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Keyspace notifications: follows {@code notify-keyspace-events} (config file and CONFIG SET) and publishes, for
 * each event a command reports, {@code __keyspace@<db>__:<key>} (message: the event) when {@code K} is set, then
 * {@code __keyevent@<db>__:<event>} (message: the key) when {@code E} is set, through {@link PubSub}. Owned by the
 * data loop; when notifications are off, {@link #notify} costs one int test.
 */
public final class KeyspaceEvents {
  /** {@code K}: events published on {@code __keyspace@<db>__:<key>}. */
  public static final int KEYSPACE = 1;
  /** {@code E}: events published on {@code __keyevent@<db>__:<event>}. */
  public static final int KEYEVENT = 1 << 1;
  /** {@code g}: generic commands (DEL, EXPIRE, RENAME, ...). */
  public static final int GENERIC = 1 << 2;
  /** {@code $}: string commands. */
  public static final int STRING = 1 << 3;
  /** {@code l}: list commands. */
  public static final int LIST = 1 << 4;
  /** {@code s}: set commands. */
  public static final int SET = 1 << 5;
  /** {@code h}: hash commands. */
  public static final int HASH = 1 << 6;
  /** {@code z}: sorted set commands. */
  public static final int ZSET = 1 << 7;
  /** {@code x}: a key removed because its TTL passed. */
  public static final int EXPIRED = 1 << 8;
  /** {@code e}: a key evicted under maxmemory. */
  public static final int EVICTED = 1 << 9;
  /** {@code t}: stream commands. */
  public static final int STREAM = 1 << 10;
  /** {@code m}: a read found no key. Not part of {@code A}. */
  public static final int KEY_MISS = 1 << 11;
  /** {@code d}: module key types (none here; accepted for compatibility). */
  public static final int MODULE = 1 << 12;
  /** {@code n}: a key was created. Not part of {@code A}. */
  public static final int NEW = 1 << 13;
  /** {@code A}: every class but {@code m} and {@code n}. */
  public static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

  private static final String CLASSES = "KEg$lshzxetmdn";

  private final PubSub pubsub;
  /** The classes to publish; zero unless K or E is set as well, so one test decides. */
  private int active;
  private int flags;

  KeyspaceEvents(PubSub pubsub, ServerConfig config, Keyspace keyspace) {
    this.pubsub = pubsub;
    flags(parse(config.stored("notify-keyspace-events")));
    config.onChange("notify-keyspace-events", v -> flags(parse(config.stored("notify-keyspace-events"))));
    // Events the keyspace reports by itself: lazy and active expiry, keys created, read misses.
    keyspace.expiredListener((db, key) -> notify(EXPIRED, "expired", db.index, key));
    keyspace.createdListener((db, key) -> notify(NEW, "new", db.index, key));
    keyspace.missListener((db, buf, off, len) -> notify(KEY_MISS, "keymiss", db.index, buf, off, len));
  }

  /** The class bits of a {@code notify-keyspace-events} value ({@code A} expands to {@link #ALL}). */
  public static int parse(String value) {
    int f = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == 'A') {
        f |= ALL;
      } else {
        int at = CLASSES.indexOf(c);
        if (at >= 0) f |= 1 << at;
      }
    }
    return f;
  }

  private void flags(int f) {
    flags = f;
    active = (f & (KEYSPACE | KEYEVENT)) != 0 ? f : 0;
  }

  /** The configured classes, K and E included. */
  public int flags() {
    return flags;
  }

  /** True when an event of {@code classBit} would be published (to skip building costly arguments). */
  public boolean enabled(int classBit) {
    return (active & classBit) != 0;
  }

  /** Publishes {@code event} about {@code key} in database {@code db} when {@code classBit} is enabled. */
  public void notify(int classBit, String event, int db, byte[] key) {
    if ((active & classBit) == 0) return;
    publish(event, db, key);
  }

  /** As {@link #notify(int, String, int, byte[])} for a key that is a slice of a buffer; copied only if used. */
  public void notify(int classBit, String event, int db, byte[] buf, int off, int len) {
    if ((active & classBit) == 0) return;
    byte[] key = off == 0 && len == buf.length ? buf : Arrays.copyOfRange(buf, off, off + len);
    publish(event, db, key);
  }

  private void publish(String event, int db, byte[] key) {
    byte[] ev = event.getBytes(StandardCharsets.US_ASCII);
    if ((active & KEYSPACE) != 0) {
      pubsub.publish(channel("__keyspace@", db, key), ev);
    }
    if ((active & KEYEVENT) != 0) {
      pubsub.publish(channel("__keyevent@", db, ev), key);
    }
  }

  private static byte[] channel(String prefix, int db, byte[] tail) {
    byte[] head = (prefix + db + "__:").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[head.length + tail.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(tail, 0, out, head.length, tail.length);
    return out;
  }
}
