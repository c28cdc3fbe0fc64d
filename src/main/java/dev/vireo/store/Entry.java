package dev.vireo.store;

/**
 * One key and its value. The value is a {@code byte[]} for strings; other types have their own classes.
 *
 * <p>An entry is 32 bytes with compressed references (a 12-byte header and five 4-byte fields), the smallest a
 * keyed, chained, accounted entry can be on the JVM. What Redis keeps in its dictEntry and robj header is packed
 * here: the key, the chain link, the value, one int of bits (the 24 LRU/LFU bits, the string encoding hints and
 * whether the key has a TTL) and the bytes last accounted for it. The key's hash is not kept: the table computes
 * it again when it grows, as Redis's rehash does. A TTL lives in its database's {@link ExpireSet}, only for the
 * keys that have one: 8 bytes of expiry on every entry would cost a million keys 8 MB whether they expire or not.
 */
public final class Entry {
  /** Encoding hint for strings: set once a string was modified in place (APPEND, SETRANGE...): Redis's "raw". */
  public static final int RAW = 1;
  /**
   * Encoding hint for strings: a value built as text (INCRBYFLOAT's result) that Redis never turns into a shared
   * or int-encoded integer, even when it reads as one.
   */
  public static final int NOT_INT = 2;
  /** A small integer in an object of its own (COPY duplicates), never one of Redis's shared integers. */
  public static final int UNSHARED = 4;

  /** The bits: LRU/LFU in 0-23, the encoding hints in 24-30, a TTL in the database's expiry table in 31. */
  static final int ACCESS_MASK = (1 << 24) - 1;
  private static final int FLAGS_SHIFT = 24;
  private static final int FLAGS_MASK = 0x7F << FLAGS_SHIFT;
  static final int TTL = 1 << 31;

  final byte[] key;
  Entry next;
  public Object value;
  /**
   * Redis's 24 LRU/LFU bits (under an LFU policy the minutes of the last decrement, 16 bits, and a logarithmic
   * access counter, 8 bits; otherwise the last access in seconds on the 24-bit LRU clock), the string encoding
   * hints, and the TTL bit.
   */
  int bits;
  /**
   * The bytes this key was last accounted for in {@code used_memory}: its name and its value; {@code
   * Integer.MAX_VALUE} for a key of 2 GB or more, whose cost is then computed again when asked.
   */
  int mem;

  Entry(byte[] key, Object value) {
    this.key = key;
    this.value = value;
  }

  public byte[] key() {
    return key;
  }

  /** True when the key has a TTL (its time is in its database: {@link Db#expireAt(Entry)}). */
  public boolean hasTtl() {
    return bits < 0;
  }

  /** The string encoding hints ({@link #RAW}, {@link #NOT_INT}, {@link #UNSHARED}), 0 when none. */
  public int flags() {
    return (bits & FLAGS_MASK) >>> FLAGS_SHIFT;
  }

  /** Replaces the string encoding hints. */
  public void flags(int flags) {
    bits = bits & ~FLAGS_MASK | (flags & 0x7F) << FLAGS_SHIFT;
  }

  /** Adds encoding hints to those set. */
  public void addFlags(int flags) {
    bits |= (flags & 0x7F) << FLAGS_SHIFT;
  }

  int access() {
    return bits & ACCESS_MASK;
  }

  void access(int access) {
    bits = bits & ~ACCESS_MASK | access & ACCESS_MASK;
  }

  /** The raw 24 LRU/LFU bits (DEBUG OBJECT's {@code lru:}). */
  public int accessBits() {
    return access();
  }

  /** Takes over another entry's LRU/LFU bits: a renamed or moved key keeps its value, and Redis its object's. */
  public void keepAccess(Entry from) {
    access(from.access());
  }

  /** The key's name and value in the memory model (MEMORY USAGE adds its table entry). */
  public long memory() {
    return mem == Integer.MAX_VALUE ? Db.cost(this) : mem;
  }
}
