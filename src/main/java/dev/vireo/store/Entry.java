package dev.vireo.store;

/**
 * One key and its value. The value is a {@code byte[]} for strings; other types have their own classes.
 * {@code expireAt} is an absolute unix time in milliseconds, or -1.
 */
public final class Entry {
  /** Encoding hint for strings: set once a string was modified in place (APPEND, SETRANGE...): Redis's "raw". */
  public static final byte RAW = 1;

  final byte[] key;
  final int hash;
  Entry next;
  public Object value;
  long expireAt = -1;
  int expireIndex = -1;
  /** Last access in seconds of the node's clock (OBJECT IDLETIME). */
  int accessed;
  public byte flags;

  Entry(byte[] key, int hash, Object value) {
    this.key = key;
    this.hash = hash;
    this.value = value;
  }

  public byte[] key() {
    return key;
  }

  public long expireAt() {
    return expireAt;
  }

  public int accessedSeconds() {
    return accessed;
  }
}
