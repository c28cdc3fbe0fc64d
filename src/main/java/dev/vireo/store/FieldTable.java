package dev.vireo.store;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The "hashtable" encoding of hashes and sets: a chained table of byte-string keys (with an optional value) whose
 * power-of-two size lets HSCAN/SSCAN walk it with the reverse-binary cursor, as {@link Dict} does for keys.
 * Lookups take a slice of the receive buffer, so probing copies nothing.
 */
public final class FieldTable {
  private static final int MIN = 8;

  /** One field (hash) or member (set). {@code key} never changes; {@code value} is replaced, never mutated. */
  public static final class Node {
    public final byte[] key;
    byte[] value;
    final int hash;
    Node next;

    Node(byte[] key, int hash, byte[] value) {
      this.key = key;
      this.hash = hash;
      this.value = value;
    }

    public byte[] value() {
      return value;
    }
  }

  private Node[] table;
  private int size;
  /** The entries' bytes in the memory model: each key's and value's sds and its table entry. */
  private long payload;

  public FieldTable(int expected) {
    int cap = MIN;
    while (cap < expected) cap <<= 1;
    table = new Node[cap];
  }

  public int size() {
    return size;
  }

  /**
   * This table's bytes in Redis's layout: the table, its buckets as Redis would size them for this many entries,
   * and each entry with its strings.
   */
  public long memory() {
    return MemoryModel.dict(size) + payload;
  }

  private static long cost(byte[] key, byte[] value) {
    return MemoryModel.DICT_ENTRY + MemoryModel.sds(key.length) + (value == null ? 0 : MemoryModel.sds(value.length));
  }

  /** Replaces a node's value (the arrays themselves are never changed in place). */
  public void setValue(Node n, byte[] value) {
    payload += cost(n.key, value) - cost(n.key, n.value);
    n.value = value;
  }

  public Node get(byte[] b, int off, int len) {
    int h = Hashing.hash(b, off, len);
    for (Node n = table[h & (table.length - 1)]; n != null; n = n.next) {
      if (n.hash == h && n.key.length == len && Arrays.equals(n.key, 0, len, b, off, off + len)) return n;
    }
    return null;
  }

  /** Adds a key known to be absent (the array is kept, not copied). */
  public Node add(byte[] key, byte[] value) {
    return add(key, Hashing.hash(key, 0, key.length), value);
  }

  private Node add(byte[] key, int h, byte[] value) {
    if (size >= table.length) resize(table.length * 2);
    Node n = new Node(key, h, value);
    int i = h & (table.length - 1);
    n.next = table[i];
    table[i] = n;
    size++;
    payload += cost(key, value);
    return n;
  }

  /** Adds the slice unless present (copying it only then); returns true when added. */
  public boolean addIfAbsent(byte[] b, int off, int len, byte[] value) {
    int h = Hashing.hash(b, off, len);
    for (Node n = table[h & (table.length - 1)]; n != null; n = n.next) {
      if (n.hash == h && n.key.length == len && Arrays.equals(n.key, 0, len, b, off, off + len)) return false;
    }
    add(Arrays.copyOfRange(b, off, off + len), h, value);
    return true;
  }

  /** Removes the key; returns its node, or null when absent. */
  public Node remove(byte[] b, int off, int len) {
    int h = Hashing.hash(b, off, len);
    int i = h & (table.length - 1);
    Node prev = null;
    for (Node n = table[i]; n != null; prev = n, n = n.next) {
      if (n.hash == h && n.key.length == len && Arrays.equals(n.key, 0, len, b, off, off + len)) {
        if (prev == null) table[i] = n.next;
        else prev.next = n.next;
        n.next = null;
        size--;
        payload -= cost(n.key, n.value);
        if (table.length > MIN && size < table.length / 8) resize(table.length / 2);
        return n;
      }
    }
    return null;
  }

  private void resize(int cap) {
    Node[] nt = new Node[cap];
    int mask = cap - 1;
    for (Node head : table) {
      for (Node n = head; n != null; ) {
        Node next = n.next;
        int i = n.hash & mask;
        n.next = nt[i];
        nt[i] = n;
        n = next;
      }
    }
    table = nt;
  }

  /** A random node (bucket first, then a place in its chain, as Redis does), or null when empty. */
  public Node random() {
    if (size == 0) return null;
    ThreadLocalRandom r = ThreadLocalRandom.current();
    while (true) {
      Node n = table[r.nextInt(table.length)];
      if (n == null) continue;
      int len = 0;
      for (Node x = n; x != null; x = x.next) len++;
      for (int k = r.nextInt(len); k > 0; k--) n = n.next;
      return n;
    }
  }

  /** Visits the bucket at cursor; returns the next reverse-binary cursor, 0 when the walk is complete. */
  public long scan(long cursor, Consumer<Node> visitor) {
    if (size == 0) return 0;
    long mask = table.length - 1;
    for (Node n = table[(int) (cursor & mask)]; n != null; n = n.next) visitor.accept(n);
    cursor |= ~mask;
    cursor = Long.reverse(cursor);
    cursor++;
    return Long.reverse(cursor);
  }

  public void forEach(Consumer<Node> visitor) {
    for (Node head : table) {
      for (Node n = head; n != null; n = n.next) visitor.accept(n);
    }
  }

  /** A copy sharing the (immutable) key and value arrays. */
  public FieldTable copy() {
    FieldTable t = new FieldTable(size);
    forEach(n -> t.add(n.key, n.hash, n.value));
    return t;
  }
}
