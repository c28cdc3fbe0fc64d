package dev.vireo.store;


/**
 * The TTLs of one database: an open-addressing table from entry (by identity) to its expiry time in unix
 * milliseconds, over two parallel arrays, so a key without a TTL costs nothing here and one with a TTL about 16
 * bytes (a slot and a long at a load of up to three quarters). Linear probing with deletion by backward shift: no
 * tombstones, so lookups stay short however many TTLs come and go. Uniform random draws (active expiry, the
 * volatile eviction policies) pick slots until one is taken; the table shrinks so that at least an eighth of its
 * slots are.
 */
final class ExpireSet {
  private static final int MIN = 16;
  private Entry[] keys = new Entry[MIN];
  private long[] times = new long[MIN];
  private int size;

  int size() {
    return size;
  }

  private static int slot(Entry e, int mask) {
    int h = System.identityHashCode(e) * 0x9E3779B9;
    return (h ^ h >>> 16) & mask;
  }

  private int find(Entry e) {
    int mask = keys.length - 1;
    for (int i = slot(e, mask); ; i = i + 1 & mask) {
      Entry k = keys[i];
      if (k == e) return i;
      if (k == null) return -1;
    }
  }

  /** The entry's expiry time, or -1 when it has none. */
  long at(Entry e) {
    if (e.bits >= 0) return -1;
    int i = find(e);
    return i < 0 ? -1 : times[i];
  }

  /** Sets or replaces the entry's expiry time. */
  void put(Entry e, long at) {
    if (e.bits < 0) {
      int i = find(e);
      if (i >= 0) {
        times[i] = at;
        return;
      }
    }
    if ((size + 1) * 4L > keys.length * 3L) resize(keys.length * 2);
    insert(e, at);
    e.bits |= Entry.TTL;
    size++;
  }

  private void insert(Entry e, long at) {
    int mask = keys.length - 1;
    int i = slot(e, mask);
    while (keys[i] != null) i = i + 1 & mask;
    keys[i] = e;
    times[i] = at;
  }

  /** Drops the entry's expiry time; returns false when it had none. */
  boolean remove(Entry e) {
    if (e.bits >= 0) return false;
    e.bits &= ~Entry.TTL;
    int i = find(e);
    if (i < 0) return false;
    size--;
    int mask = keys.length - 1;
    // backward shift: move up every later entry of the run that may live in the freed slot
    for (int j = i + 1 & mask; keys[j] != null; j = j + 1 & mask) {
      int home = slot(keys[j], mask);
      if ((j - home & mask) >= (j - i & mask)) {
        keys[i] = keys[j];
        times[i] = times[j];
        i = j;
      }
    }
    keys[i] = null;
    if (keys.length > MIN && size * 8L < keys.length) resize(keys.length / 2);
    return true;
  }

  private void resize(int cap) {
    Entry[] oldKeys = keys;
    long[] oldTimes = times;
    keys = new Entry[cap];
    times = new long[cap];
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != null) insert(oldKeys[i], oldTimes[i]);
    }
  }

  /** A slot taken by an entry, drawn uniformly, or -1 when empty. */
  private int randomSlot() {
    return FieldTable.randomOccupied(keys, size);
  }

  Entry random() {
    int i = randomSlot();
    return i < 0 ? null : keys[i];
  }

  /** Up to {@code count} entries drawn uniformly (with repetition) for eviction. */
  int sample(Entry[] out, int count) {
    int n = Math.min(count, size);
    for (int k = 0; k < n; k++) out[k] = keys[randomSlot()];
    return n;
  }

  void clear() {
    for (Entry e : keys) {
      if (e != null) e.bits &= ~Entry.TTL;
    }
    keys = new Entry[MIN];
    times = new long[MIN];
    size = 0;
  }
}
