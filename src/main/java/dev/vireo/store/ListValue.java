package dev.vireo.store;

import dev.vireo.resp.CommandError;
import dev.vireo.resp.Errors;
import java.util.Arrays;

/**
 * A list value: a deque of byte strings in a circular array, so pushes and pops at both ends and access by index
 * are O(1); inserts and removals in the middle shift the shorter side. Redis 7.0 reports every list as
 * {@code quicklist}.
 */
public final class ListValue implements TypedValue {
  private static final byte[][] EMPTY = new byte[0][];

  private byte[][] items;
  /** Physical slot of element 0. */
  private int head;
  private int size;
  /** The bytes the elements would take as listpack entries (the memory model's counter). */
  private long entryBytes;

  public ListValue() {
    items = new byte[8][];
  }

  private ListValue(byte[][] items, int size, long entryBytes) {
    this.items = items;
    this.size = size;
    this.entryBytes = entryBytes;
  }

  /** The list stored in an entry, or WRONGTYPE. */
  public static ListValue of(Entry e) {
    if (e.value instanceof ListValue l) return l;
    throw new CommandError(Errors.WRONGTYPE);
  }

  @Override
  public String typeName() {
    return "list";
  }

  @Override
  public String encoding() {
    return "quicklist";
  }

  /** A quicklist of 8 KB listpack nodes, as Redis keeps a list with its default list-max-listpack-size. */
  @Override
  public long memory() {
    long perNode = MemoryModel.QUICKLIST_NODE_BYTES - MemoryModel.LISTPACK_EMPTY;
    long nodes = Math.max(1, (entryBytes + perNode - 1) / perNode);
    return MemoryModel.OBJECT + MemoryModel.QUICKLIST
        + nodes * (MemoryModel.QUICKLIST_NODE + MemoryModel.listpack(entryBytes / nodes));
  }

  @Override
  public ListValue copy() {
    byte[][] a = new byte[Math.max(8, Integer.highestOneBit(Math.max(1, size)) << 1)][];
    for (int i = 0; i < size; i++) a[i] = get(i);
    return new ListValue(a, size, entryBytes);
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** Slot of logical index i (0 <= i < capacity); the capacity is a power of two. */
  private int slot(int i) {
    return (head + i) & (items.length - 1);
  }

  private void grow() {
    if (size < items.length) return;
    int n = items.length << 1;
    if (n < 0) throw new CommandError("ERR list too long");
    byte[][] a = new byte[n][];
    int first = Math.min(size, items.length - head);
    System.arraycopy(items, head, a, 0, first);
    System.arraycopy(items, 0, a, first, size - first);
    items = a;
    head = 0;
  }

  public void pushHead(byte[] v) {
    grow();
    head = (head - 1) & (items.length - 1);
    items[head] = v;
    size++;
    entryBytes += MemoryModel.listpackEntry(v);
  }

  public void pushTail(byte[] v) {
    grow();
    items[slot(size)] = v;
    size++;
    entryBytes += MemoryModel.listpackEntry(v);
  }

  public void push(byte[] v, boolean head) {
    if (head) pushHead(v);
    else pushTail(v);
  }

  public byte[] popHead() {
    byte[] v = items[head];
    items[head] = null;
    head = (head + 1) & (items.length - 1);
    size--;
    entryBytes -= MemoryModel.listpackEntry(v);
    return v;
  }

  public byte[] popTail() {
    int s = slot(size - 1);
    byte[] v = items[s];
    items[s] = null;
    size--;
    entryBytes -= MemoryModel.listpackEntry(v);
    return v;
  }

  public byte[] pop(boolean head) {
    return head ? popHead() : popTail();
  }

  public byte[] get(int i) {
    return items[slot(i)];
  }

  public void set(int i, byte[] v) {
    entryBytes += MemoryModel.listpackEntry(v) - MemoryModel.listpackEntry(items[slot(i)]);
    items[slot(i)] = v;
  }

  /** Inserts v so that it becomes element i (0 <= i <= size). */
  public void insert(int i, byte[] v) {
    if (i == 0) {
      pushHead(v);
      return;
    }
    if (i == size) {
      pushTail(v);
      return;
    }
    grow();
    if (i < size / 2) {
      head = (head - 1) & (items.length - 1);
      for (int k = 0; k < i; k++) items[slot(k)] = items[slot(k + 1)];
    } else {
      for (int k = size; k > i; k--) items[slot(k)] = items[slot(k - 1)];
    }
    items[slot(i)] = v;
    size++;
    entryBytes += MemoryModel.listpackEntry(v);
  }

  /** Keeps the elements [from, to] (inclusive, already clamped to the list, from <= to) and drops the rest. */
  public void keepRange(int from, int to) {
    int n = to - from + 1;
    for (int k = 0; k < from; k++) drop(slot(k));
    for (int k = to + 1; k < size; k++) drop(slot(k));
    head = slot(from);
    size = n;
  }

  private void drop(int slot) {
    entryBytes -= MemoryModel.listpackEntry(items[slot]);
    items[slot] = null;
  }

  public void clear() {
    entryBytes = 0;
    Arrays.fill(items, null);
    head = 0;
    size = 0;
  }

  /**
   * Removes elements equal to v: up to {@code limit} of them (0 = all) scanning from the head, or from the tail
   * when {@code fromTail}. Returns how many were removed. One compaction pass, O(n).
   */
  public int removeEqual(byte[] b, int off, int len, long limit, boolean fromTail) {
    byte[][] kept = new byte[items.length][];
    int removed = 0;
    if (!fromTail) {
      int n = 0;
      for (int k = 0; k < size; k++) {
        byte[] x = get(k);
        if ((limit == 0 || removed < limit) && equal(x, b, off, len)) {
          removed++;
          entryBytes -= MemoryModel.listpackEntry(x);
        } else {
          kept[n++] = x;
        }
      }
    } else {
      int n = items.length;
      for (int k = size - 1; k >= 0; k--) {
        byte[] x = get(k);
        if ((limit == 0 || removed < limit) && equal(x, b, off, len)) {
          removed++;
          entryBytes -= MemoryModel.listpackEntry(x);
        } else {
          kept[--n] = x;
        }
      }
      if (removed > 0) {
        // move the kept block to the front
        System.arraycopy(kept, n, kept, 0, items.length - n);
        Arrays.fill(kept, items.length - n, items.length, null);
      } else {
        return 0;
      }
    }
    if (removed == 0) return 0;
    items = kept;
    head = 0;
    size -= removed;
    return removed;
  }

  /** Index of the first element equal to the given bytes; -1 when none. */
  public int indexOf(byte[] b, int off, int len) {
    for (int k = 0; k < size; k++) if (equal(get(k), b, off, len)) return k;
    return -1;
  }

  public static boolean equal(byte[] x, byte[] b, int off, int len) {
    return x.length == len && Arrays.equals(x, 0, len, b, off, off + len);
  }

  /** The elements in order (a copy of the references); for tests and serialisation. */
  public byte[][] toArray() {
    if (size == 0) return EMPTY;
    byte[][] r = new byte[size][];
    for (int i = 0; i < size; i++) r[i] = get(i);
    return r;
  }
}
