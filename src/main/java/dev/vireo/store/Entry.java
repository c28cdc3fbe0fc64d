package dev.vireo.store;

/**
 * One key and its value. The value is a {@code byte[]} for strings; other types have their own classes.
 * {@code expireAt} is an absolute unix time in milliseconds, or -1.
 */
public final class Entry {
  /** Encoding hint for strings: set once a string was modified in place (APPEND, SETRANGE...): Redis's "raw". */
  public static final byte RAW = 1;
  /**
   * Encoding hint for strings: a value built as text (INCRBYFLOAT's result) that Redis never turns into a shared
   * or int-encoded integer, even when it reads as one.
   */
  public static final byte NOT_INT = 2;
  /** A small integer in an object of its own (COPY duplicates), never one of Redis's shared integers. */
  public static final byte UNSHARED = 4;

  final byte[] key;
  final int hash;
  Entry next;
  public Object value;
  long expireAt = -1;
  int expireIndex = -1;
  /**
   * Redis's 24 LRU/LFU bits: under an LFU policy the minutes of the last decrement (16 bits) and a logarithmic
   * access counter (8 bits), otherwise the last access in seconds of the 24-bit LRU clock.
   */
  int accessed;
  /** The bytes this key was last accounted for in {@code used_memory}: its name and its value. */
  long mem;
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

  /** The raw 24 LRU/LFU bits (DEBUG OBJECT's {@code lru:}). */
  public int accessBits() {
    return accessed;
  }

  /** The key's name and value in the memory model (MEMORY USAGE adds its table entry). */
  public long memory() {
    return mem;
  }
}
