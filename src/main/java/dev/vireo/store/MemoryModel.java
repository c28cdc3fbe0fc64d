package dev.vireo.store;

import java.nio.charset.StandardCharsets;

/**
 * What a value costs in bytes, in the model {@code used_memory} and {@code MEMORY USAGE} report: the sizes Redis 7.0
 * allocates for the same data, its allocator's size classes included, so that the figures have Redis's magnitude
 * and react to encodings as Redis's do (a listpack hash is smaller than the same hashtable). The figures are
 * computed from counters each value keeps up to date as it changes, never by walking a value, so accounting a
 * write costs O(1) whatever the size of the value.
 *
 * <p>The JVM's own footprint (object headers, the heap's headroom) is not in this model; INFO shows it beside
 * {@code used_memory} as the heap and the process RSS.
 */
public final class MemoryModel {
  /** A Redis object header (type, encoding, LRU bits, refcount, pointer). */
  public static final int OBJECT = 16;
  /** A hash table entry (key, value, next). */
  public static final int DICT_ENTRY = 24;
  /** A hash table (two tables and their counters). */
  public static final int DICT = 56;
  /** One bucket pointer of a hash table. */
  public static final int BUCKET = 8;
  /** A quicklist header, and one of its nodes. */
  static final int QUICKLIST = 48;
  static final int QUICKLIST_NODE = 32;
  /** The bytes a quicklist node's listpack holds at most by default ({@code list-max-listpack-size -2}). */
  static final int QUICKLIST_NODE_BYTES = 8192;
  /** A listpack's header (total bytes, count) and end byte. */
  static final int LISTPACK_EMPTY = 7;
  /** An average skip list node: score, backward pointer, and 1.33 levels of forward pointer and span. */
  static final int SKIPLIST_NODE = 48;
  /** A stream: its radix tree, length, last/first/max-deleted IDs, entries added, consumer groups pointer. */
  static final int STREAM = 500;
  /** The room a stream's tail node is given when it is created (Redis 7.0 preallocates up to 4 KB). */
  static final int STREAM_NODE_PREALLOC = 4096;
  /** A radix tree node holding one listpack node's 16-byte ID key, amortized. */
  static final int RAX_NODE = 64;
  /** A consumer group, a consumer, a pending entry (NACK plus its two radix tree keys). */
  static final int GROUP = 128;
  static final int CONSUMER = 96;
  static final int PENDING = 104;

  private MemoryModel() {}

  /** The size class an allocation of n bytes takes (jemalloc's: 8, 16, 32, 48... then four classes per doubling). */
  public static long alloc(long n) {
    if (n <= 8) return 8;
    if (n <= 128) return (n + 15) & ~15L;
    long p = Long.highestOneBit(n - 1); // n in (p, 2p]
    long step = p >> 2;
    return (n + step - 1) / step * step;
  }

  /**
   * An sds string of len bytes as a copy of it is allocated (key names, fields, members): a header by length (one
   * byte below 32), the bytes and a terminating NUL.
   */
  public static long sds(int len) {
    int header = len < 32 ? 1 : len < 256 ? 3 : len < 65536 ? 5 : 9;
    return alloc(header + len + 1L);
  }

  /** A key as the keyspace holds it: its sds name, its table entry. */
  public static long key(int len) {
    return sds(len) + DICT_ENTRY;
  }

  /**
   * A string value: an integer in the object itself, an "embstr" (object and bytes in one allocation, up to 44
   * bytes), or an object pointing at its own sds.
   */
  public static long string(byte[] v, int flags) {
    if ((flags & (Entry.RAW | Entry.NOT_INT)) == 0 && v.length <= 20 && isLong(v, v.length)) return OBJECT;
    if (v.length <= 44 && (flags & Entry.RAW) == 0) return alloc(OBJECT + 3 + v.length + 1L);
    return OBJECT + alloc((v.length < 256 ? 3 : v.length < 65536 ? 5 : 9) + v.length + 1L);
  }

  /** The bytes one listpack entry of this string takes: integers in their compact forms, strings with a header. */
  public static int listpackEntry(byte[] v) {
    return listpackEntry(v, 0, v.length);
  }

  public static int listpackEntry(byte[] b, int off, int len) {
    int data;
    if (len <= 20 && isLong(b, off, len)) {
      long x = parse(b, off, len);
      data = x >= 0 && x <= 127 ? 1
          : x >= -4096 && x <= 4095 ? 2
          : x >= -32768 && x <= 32767 ? 3
          : x >= -8388608 && x <= 8388607 ? 4
          : x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE ? 5 : 9;
    } else {
      data = len + (len < 64 ? 1 : len < 4096 ? 2 : 5);
    }
    return data + (data < 128 ? 1 : data < 16384 ? 2 : 3);
  }

  /** A listpack's bytes as allocated, from the sum of its entries. */
  public static long listpack(long entries) {
    return alloc(LISTPACK_EMPTY + entries);
  }

  /** A hash table's own cost for n entries: the table and its power-of-two bucket array. */
  public static long dict(int n) {
    if (n == 0) return DICT;
    return DICT + (long) BUCKET * Math.max(4, Integer.highestOneBit(Math.max(1, n - 1)) << 1);
  }

  private static boolean isLong(byte[] b, int len) {
    return isLong(b, 0, len);
  }

  /** True for the canonical decimal form of a 64-bit integer (what Redis stores as an integer). */
  static boolean isLong(byte[] b, int off, int len) {
    if (len == 0 || len > 20) return false;
    int i = off;
    int end = off + len;
    if (b[i] == '-') {
      if (len == 1) return false;
      i++;
    }
    if (b[i] == '0') return len == 1;
    for (int k = i; k < end; k++) {
      if (b[k] < '0' || b[k] > '9') return false;
    }
    if (len < 19) return true;
    try {
      Long.parseLong(new String(b, off, len, StandardCharsets.US_ASCII));
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static long parse(byte[] b, int off, int len) {
    long x = 0;
    boolean neg = b[off] == '-';
    for (int k = neg ? off + 1 : off; k < off + len; k++) x = x * 10 + (b[k] - '0');
    return neg ? -x : x;
  }
}
