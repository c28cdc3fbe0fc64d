package dev.vireo.store;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/** The entries of one database that have a TTL, in an array: O(1) add, remove and uniform sampling. */
final class ExpireSet {
  private Entry[] items = new Entry[16];
  private int size;

  int size() {
    return size;
  }

  void add(Entry e) {
    if (e.expireIndex >= 0) return;
    if (size == items.length) items = Arrays.copyOf(items, size * 2);
    e.expireIndex = size;
    items[size++] = e;
  }

  void remove(Entry e) {
    int i = e.expireIndex;
    if (i < 0) return;
    Entry last = items[--size];
    items[i] = last;
    last.expireIndex = i;
    items[size] = null;
    e.expireIndex = -1;
    if (items.length > 64 && size < items.length / 4) items = Arrays.copyOf(items, items.length / 2);
  }

  Entry random() {
    return size == 0 ? null : items[ThreadLocalRandom.current().nextInt(size)];
  }

  /** Up to {@code count} entries drawn uniformly (with repetition) for eviction. */
  int sample(Entry[] out, int count) {
    int n = Math.min(count, size);
    for (int k = 0; k < n; k++) out[k] = items[ThreadLocalRandom.current().nextInt(size)];
    return n;
  }

  void clear() {
    items = new Entry[16];
    size = 0;
  }
}
