package dev.vireo.store;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A chained hash table of entries keyed by byte strings, with a power-of-two table so that SCAN can walk it with
 * Redis's reverse-binary cursor: every key present for the whole scan is returned at least once even if the table
 * grows or shrinks between calls. Lookups take a slice, so the receive buffer is probed without copying. Entries
 * keep no hash (see {@link Entry}): a chain is compared by length and bytes, and growing the table hashes each key
 * again, as Redis's rehash does.
 */
public final class Dict {
  private static final int MIN = 16;
  private Entry[] table = new Entry[MIN];
  private int size;

  public int size() {
    return size;
  }

  public Entry get(byte[] b, int off, int len) {
    int h = Hashing.hash(b, off, len);
    for (Entry e = table[h & (table.length - 1)]; e != null; e = e.next) {
      if (e.key.length == len && Arrays.equals(e.key, 0, len, b, off, off + len)) return e;
    }
    return null;
  }

  public Entry get(byte[] key) {
    return get(key, 0, key.length);
  }

  /** Adds a key known to be absent; returns its new entry. */
  public Entry add(byte[] key, Object value) {
    if (size >= table.length) resize(table.length * 2);
    Entry e = new Entry(key, value);
    int i = Hashing.hash(key, 0, key.length) & (table.length - 1);
    e.next = table[i];
    table[i] = e;
    size++;
    return e;
  }

  /** Unlinks the entry; returns false when it was not in this table. */
  public boolean remove(Entry target) {
    int i = Hashing.hash(target.key, 0, target.key.length) & (table.length - 1);
    Entry prev = null;
    for (Entry e = table[i]; e != null; prev = e, e = e.next) {
      if (e == target) {
        if (prev == null) table[i] = e.next;
        else prev.next = e.next;
        e.next = null;
        size--;
        if (table.length > MIN && size < table.length / 8) resize(table.length / 2);
        return true;
      }
    }
    return false;
  }

  public void clear() {
    table = new Entry[MIN];
    size = 0;
  }

  private void resize(int cap) {
    Entry[] old = table;
    Entry[] nt = new Entry[cap];
    int mask = cap - 1;
    for (Entry head : old) {
      for (Entry e = head; e != null; ) {
        Entry next = e.next;
        int i = Hashing.hash(e.key, 0, e.key.length) & mask;
        e.next = nt[i];
        nt[i] = e;
        e = next;
      }
    }
    table = nt;
  }

  /** A random entry, or null when empty. */
  public Entry random() {
    if (size == 0) return null;
    ThreadLocalRandom r = ThreadLocalRandom.current();
    while (true) {
      Entry e = table[r.nextInt(table.length)];
      if (e == null) continue;
      int n = 0;
      for (Entry x = e; x != null; x = x.next) n++;
      int k = r.nextInt(n);
      while (k-- > 0) e = e.next;
      return e;
    }
  }

  /**
   * Visits the bucket at {@code cursor} and returns the next cursor (0 when the walk is complete), using
   * reverse-binary increments so the walk survives resizes between calls.
   */
  public long scan(long cursor, Consumer<Entry> visitor) {
    if (size == 0) return 0;
    long mask = table.length - 1;
    for (Entry e = table[(int) (cursor & mask)]; e != null; e = e.next) visitor.accept(e);
    cursor |= ~mask;
    cursor = Long.reverse(cursor);
    cursor++;
    cursor = Long.reverse(cursor);
    return cursor;
  }

  public void forEach(Consumer<Entry> visitor) {
    forEach(0, table.length, visitor);
  }

  /**
   * The entries of buckets {@code from} (inclusive) to {@code to} (exclusive). Two threads may walk two ranges at
   * once while nothing changes the table.
   */
  public void forEach(int from, int to, Consumer<Entry> visitor) {
    Entry[] t = table;
    for (int i = from; i < to; i++) {
      for (Entry e = t[i]; e != null; e = e.next) visitor.accept(e);
    }
  }

  /**
   * Up to {@code count} entries from consecutive buckets starting at a random one (Redis's dictGetSomeKeys): cheap
   * samples for eviction, visiting at most {@code count * 10} buckets.
   */
  public int someEntries(Entry[] out, int count) {
    if (size == 0) return 0;
    count = Math.min(count, size);
    int mask = table.length - 1;
    int i = ThreadLocalRandom.current().nextInt(table.length);
    int got = 0;
    int emptyRun = 0;
    for (int steps = count * 10; steps > 0 && got < count; steps--, i = (i + 1) & mask) {
      Entry e = table[i];
      if (e == null) {
        // a long run of empty buckets: jump somewhere else, as Redis does
        if (++emptyRun >= 5 && emptyRun > count) {
          i = ThreadLocalRandom.current().nextInt(table.length);
          emptyRun = 0;
        }
        continue;
      }
      emptyRun = 0;
      for (; e != null && got < count; e = e.next) out[got++] = e;
    }
    return got;
  }

  /** Number of buckets (INFO/DEBUG), the range {@link #forEach(int, int, Consumer)} takes part of. */
  public int buckets() {
    return table.length;
  }
}
