package dev.vireo.store;

import dev.vireo.resp.CommandError;
import dev.vireo.resp.Errors;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;

/**
 * A list value, laid out as Redis's quicklist: a doubly linked chain of packed nodes. Each node is one
 * {@code byte[]} holding its elements back to back, each as a varint length, the bytes, and the length again as a
 * varint read backwards (so a node walks in both directions, as a listpack's backlen allows). A node is filled up
 * to {@code list-max-listpack-size} (negative: 4 KB to 64 KB of element bytes; positive: that many elements, at
 * most 8 KB), the limit Redis uses; an element larger than the limit gets a node of its own. The live element
 * bytes sit in [start, end) of the node's array, with room kept at the ends that grow, so pushes and pops at both
 * ends are O(1) amortised; access by index walks the nodes from the nearer end of the list and then the entries
 * from the nearer end of the node, as Redis does. Redis 7.0 reports every list as {@code quicklist}.
 *
 * <p>Why this layout, measured on one list of 1M elements {@code e0..e999999} pushed 100 at a time (live heap
 * after a full GC): a ring of one {@code byte[]} per element took 28.6 MB (a 16-byte array header and padding
 * per element, plus its 4-byte slot), against Redis's 9.05 MB of dataset ({@code used_memory} 9.9 MB). Packed
 * nodes cost 2 bytes of framing per small element, as a listpack does, and 56 bytes per node: 9.09 MB of arrays
 * and nodes at the default 8 KB (the whole heap grew by 9.3 MB). Node size barely matters for memory (4 KB:
 * 9.11 MB, 16 KB: 9.06 MB, 64 KB: 9.04 MB) but does for access by index, which walks nodes and then entries: a
 * random LINDEX on that list took 3 to 6 us with 4 to 16 KB nodes and 8 to 14 us with 64 KB ones. So the node
 * size follows Redis's setting, whose default (-2, 8 KB) sits in the fast range.
 */
public final class ListValue implements TypedValue {
  /** Redis's default {@code list-max-listpack-size}: nodes of up to 8 KB. */
  public static final int DEFAULT_FILL = -2;
  /** A node's byte limit when the fill counts entries, as Redis's SIZE_SAFETY_LIMIT. */
  private static final int SIZE_SAFETY_LIMIT = 8192;
  /** A quicklist node's entry count is a 16-bit field in Redis. */
  private static final int MAX_NODE_COUNT = 65535;
  private static final int MIN_CAPACITY = 16;
  private static final byte[][] EMPTY = new byte[0][];

  private Node head;
  private Node tail;
  private int size;
  /** The bytes the elements would take as listpack entries (the memory model's counter). */
  private long entryBytes;

  /** One packed node: elements in buf[start, end), count of them; never empty while linked. */
  private static final class Node {
    byte[] buf;
    int start;
    int end;
    int count;
    Node prev;
    Node next;

    Node(byte[] buf, int start, int end, int count) {
      this.buf = buf;
      this.start = start;
      this.end = end;
      this.count = count;
    }

    int used() {
      return end - start;
    }
  }

  public ListValue() {}

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

  /** An independent copy: every node's bytes are copied, trimmed to what they hold. */
  @Override
  public ListValue copy() {
    ListValue r = new ListValue();
    for (Node n = head; n != null; n = n.next) {
      r.linkLast(new Node(Arrays.copyOfRange(n.buf, n.start, n.end), 0, n.used(), n.count));
    }
    r.size = size;
    r.entryBytes = entryBytes;
    return r;
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  // ---------------------------------------------------------------- entry coding

  /** Bytes an element of len bytes takes in a node: its length before and after it. */
  static int entrySize(int len) {
    return len + 2 * Varint.size(len);
  }

  /** Writes one entry at p; returns the position after it. */
  private static int write(byte[] buf, int p, byte[] v, int off, int len) {
    int n = Varint.size(len);
    int x = len;
    for (int i = 1; i < n; i++) {
      buf[p++] = (byte) (x & 0x7f | 0x80);
      x >>>= 7;
    }
    buf[p++] = (byte) x;
    System.arraycopy(v, off, buf, p, len);
    p += len;
    x = len;
    for (int i = n - 1; i >= 0; i--) {
      buf[p + i] = (byte) ((x & 0x7f) | (i > 0 ? 0x80 : 0));
      x >>>= 7;
    }
    return p + n;
  }

  /** The length of the element whose entry starts at p. */
  private static int lenAt(byte[] buf, int p) {
    int b = buf[p];
    if (b >= 0) return b;
    int v = b & 0x7f;
    int shift = 7;
    do {
      b = buf[++p];
      v |= (b & 0x7f) << shift;
      shift += 7;
    } while (b < 0);
    return v;
  }

  /** The length of the element whose entry ends at e. */
  private static int lenBefore(byte[] buf, int e) {
    int b = buf[e - 1];
    if (b >= 0) return b;
    int v = b & 0x7f;
    int shift = 7;
    do {
      b = buf[--e - 1];
      v |= (b & 0x7f) << shift;
      shift += 7;
    } while (b < 0);
    return v;
  }

  // ---------------------------------------------------------------- node limits and chain

  /** A node's byte limit under a list-max-listpack-size. */
  private static int maxBytes(int fill) {
    if (fill >= 0) return SIZE_SAFETY_LIMIT;
    return 4096 << ((fill < -5 ? 5 : -fill) - 1);
  }

  /** A node's entry limit under a list-max-listpack-size. */
  private static int maxCount(int fill) {
    return fill > 0 ? Math.min(fill, MAX_NODE_COUNT) : fill == 0 ? 1 : MAX_NODE_COUNT;
  }

  /** Whether k more bytes (one more entry) may go into n. */
  private static boolean fits(Node n, int k, int fill) {
    return n.count < maxCount(fill) && n.used() + k <= maxBytes(fill);
  }

  private static boolean overLimit(Node n, int fill) {
    return n.count > maxCount(fill) || n.used() > maxBytes(fill);
  }

  /** A capacity for a node that holds used bytes and needs k more: half as much again, within the limit. */
  private static int grownCapacity(int used, int k, int fill) {
    int need = used + k;
    int cap = Math.max(MIN_CAPACITY, need + (need >> 1));
    int limit = maxBytes(fill);
    if (cap > limit) cap = Math.max(need, limit);
    return cap;
  }

  /** A capacity for need bytes now and upcoming bytes soon, as far as they fit under the limit. */
  private static int hinted(int need, int upcoming, int fill) {
    return (int) Math.max(need, Math.min((long) need + upcoming, maxBytes(fill)));
  }

  private void linkLast(Node n) {
    n.prev = tail;
    n.next = null;
    if (tail == null) head = n;
    else tail.next = n;
    tail = n;
  }

  private void linkFirst(Node n) {
    n.next = head;
    n.prev = null;
    if (head == null) tail = n;
    else head.prev = n;
    head = n;
  }

  private void linkAfter(Node at, Node n) {
    n.prev = at;
    n.next = at.next;
    if (at.next == null) tail = n;
    else at.next.prev = n;
    at.next = n;
  }

  private void unlink(Node n) {
    if (n.prev == null) head = n.next;
    else n.prev.next = n.next;
    if (n.next == null) tail = n.prev;
    else n.next.prev = n.prev;
    n.prev = null;
    n.next = null;
  }

  /**
   * Makes k bytes of room at the front (or the back) of n: moves the bytes within the array when it has the room
   * elsewhere, splitting the spare room between both ends, or else grows the array, all new room on that side.
   */
  private static void room(Node n, int k, boolean front, int fill, int upcoming) {
    int used = n.used();
    byte[] buf = n.buf;
    int spare = buf.length - used;
    int at;
    if (spare >= k && spare - k >= (buf.length >> 3)) {
      int rest = spare - k;
      at = front ? k + (rest >> 1) : rest >> 1;
      System.arraycopy(buf, n.start, buf, at, used);
    } else {
      int cap = Math.max(grownCapacity(used, k, fill), hinted(used + k, upcoming, fill));
      byte[] a = new byte[cap];
      at = front ? cap - used : 0;
      System.arraycopy(buf, n.start, a, at, used);
      n.buf = a;
    }
    n.start = at;
    n.end = at + used;
  }

  /** Gives n an array of exactly its bytes when it uses under a quarter of a large one. */
  private static void shrink(Node n) {
    int used = n.used();
    if (n.buf.length > 64 && used < (n.buf.length >> 2)) {
      n.buf = Arrays.copyOfRange(n.buf, n.start, n.end);
      n.start = 0;
      n.end = used;
    }
  }

  /** Splits n in halves until every part is within the limits (a lone element may exceed them). */
  private void normalize(Node n, int fill) {
    if (n.count <= 1 || !overLimit(n, fill)) return;
    int half = n.count >> 1;
    int p = n.start;
    for (int i = 0; i < half; i++) p += entrySize(lenAt(n.buf, p));
    Node right = new Node(Arrays.copyOfRange(n.buf, p, n.end), 0, n.end - p, n.count - half);
    n.buf = Arrays.copyOfRange(n.buf, n.start, p);
    n.end = p - n.start;
    n.start = 0;
    n.count = half;
    linkAfter(n, right);
    normalize(n, fill);
    normalize(right, fill);
  }

  /** Merges neighbours that fit in one node together; used after removals in the middle. */
  private void mergeSmall(int fill) {
    for (Node n = head; n != null && n.next != null; ) {
      Node m = n.next;
      if (n.count + m.count <= maxCount(fill) && n.used() + m.used() <= maxBytes(fill)) {
        byte[] a = new byte[n.used() + m.used()];
        System.arraycopy(n.buf, n.start, a, 0, n.used());
        System.arraycopy(m.buf, m.start, a, n.used(), m.used());
        n.buf = a;
        n.start = 0;
        n.end = a.length;
        n.count += m.count;
        unlink(m);
      } else {
        n = m;
      }
    }
  }

  // ---------------------------------------------------------------- ends

  public void pushHead(byte[] v) {
    push(v, 0, v.length, true, DEFAULT_FILL);
  }

  public void pushTail(byte[] v) {
    push(v, 0, v.length, false, DEFAULT_FILL);
  }

  public void push(byte[] v, boolean head) {
    push(v, 0, v.length, head, DEFAULT_FILL);
  }

  /** Pushes b[off, off+len) at the head or the tail; nodes follow the given list-max-listpack-size. */
  public void push(byte[] b, int off, int len, boolean atHead, int fill) {
    push(b, off, len, atHead, fill, 0);
  }

  /** Node bytes an element of len bytes takes, for the {@code upcoming} hint of a push. */
  public static int packedSize(int len) {
    return entrySize(len);
  }

  /**
   * Pushes b[off, off+len) at the head or the tail; {@code upcoming} is how many node bytes
   * ({@link #packedSize}) the elements pushed right after this one in the same command take, so that a node
   * grows once for them all.
   */
  public void push(byte[] b, int off, int len, boolean atHead, int fill, int upcoming) {
    int k = entrySize(len);
    Node n = atHead ? head : tail;
    if (n == null || !fits(n, k, fill)) {
      int cap = Math.max(grownCapacity(0, k, fill), hinted(k, upcoming, fill));
      // past a full node the list is long: its next node will fill too, so it starts at half the limit
      if (n != null) cap = Math.max(cap, maxBytes(fill) >> 1);
      n = new Node(new byte[cap], atHead ? cap : 0, atHead ? cap : 0, 0);
      if (atHead) linkFirst(n);
      else linkLast(n);
    }
    if (atHead) {
      if (n.start < k) room(n, k, true, fill, upcoming);
      n.start -= k;
      write(n.buf, n.start, b, off, len);
    } else {
      if (n.buf.length - n.end < k) room(n, k, false, fill, upcoming);
      n.end = write(n.buf, n.end, b, off, len);
    }
    n.count++;
    size++;
    entryBytes += MemoryModel.listpackEntry(b, off, len);
  }

  public byte[] popHead() {
    return pop(true);
  }

  public byte[] popTail() {
    return pop(false);
  }

  public byte[] pop(boolean atHead) {
    Node n = atHead ? head : tail;
    byte[] buf = n.buf;
    byte[] v;
    if (atHead) {
      int len = lenAt(buf, n.start);
      int off = n.start + Varint.size(len);
      v = Arrays.copyOfRange(buf, off, off + len);
      n.start = off + len + Varint.size(len);
    } else {
      int len = lenBefore(buf, n.end);
      n.end -= entrySize(len);
      int off = n.end + Varint.size(len);
      v = Arrays.copyOfRange(buf, off, off + len);
    }
    n.count--;
    size--;
    entryBytes -= MemoryModel.listpackEntry(v);
    if (n.count == 0) unlink(n);
    return v;
  }

  /** Removes the element at the head or the tail without copying it out (a cursor reads it first). */
  public void discard(boolean atHead) {
    Node n = atHead ? head : tail;
    byte[] buf = n.buf;
    if (atHead) {
      int len = lenAt(buf, n.start);
      entryBytes -= MemoryModel.listpackEntry(buf, n.start + Varint.size(len), len);
      n.start += entrySize(len);
    } else {
      int len = lenBefore(buf, n.end);
      n.end -= entrySize(len);
      entryBytes -= MemoryModel.listpackEntry(buf, n.end + Varint.size(len), len);
    }
    n.count--;
    size--;
    if (n.count == 0) unlink(n);
  }

  // ---------------------------------------------------------------- by index

  public byte[] get(int i) {
    return cursor(i).bytes();
  }

  public void set(int i, byte[] v) {
    set(i, v, DEFAULT_FILL);
  }

  /** Replaces element i; a node that outgrows the limits is split. */
  public void set(int i, byte[] v, int fill) {
    Cursor c = cursor(i);
    Node n = c.node;
    int p = c.pos;
    int oldSize = entrySize(c.len);
    entryBytes += MemoryModel.listpackEntry(v) - MemoryModel.listpackEntry(n.buf, c.off(), c.len);
    int k = entrySize(v.length);
    if (k == oldSize) {
      write(n.buf, p, v, 0, v.length);
      return;
    }
    byte[] a = new byte[n.used() - oldSize + k];
    int before = p - n.start;
    System.arraycopy(n.buf, n.start, a, 0, before);
    int q = write(a, before, v, 0, v.length);
    System.arraycopy(n.buf, p + oldSize, a, q, n.end - p - oldSize);
    n.buf = a;
    n.start = 0;
    n.end = a.length;
    normalize(n, fill);
  }

  public void insert(int i, byte[] v) {
    insert(i, v, DEFAULT_FILL);
  }

  /** Inserts v so that it becomes element i (0 <= i <= size); a node that outgrows the limits is split. */
  public void insert(int i, byte[] v, int fill) {
    if (i == 0) {
      push(v, 0, v.length, true, fill);
      return;
    }
    if (i == size) {
      push(v, 0, v.length, false, fill);
      return;
    }
    Cursor c = cursor(i);
    Node n = c.node;
    int p = c.pos;
    int k = entrySize(v.length);
    byte[] buf = n.buf;
    if (buf.length - n.end >= k) {
      System.arraycopy(buf, p, buf, p + k, n.end - p);
      write(buf, p, v, 0, v.length);
      n.end += k;
    } else if (n.start >= k) {
      System.arraycopy(buf, n.start, buf, n.start - k, p - n.start);
      n.start -= k;
      write(buf, p - k, v, 0, v.length);
    } else {
      byte[] a = new byte[grownCapacity(n.used(), k, fill)];
      int before = p - n.start;
      System.arraycopy(buf, n.start, a, 0, before);
      int q = write(a, before, v, 0, v.length);
      System.arraycopy(buf, p, a, q, n.end - p);
      n.buf = a;
      n.start = 0;
      n.end = q + (n.end - p);
    }
    n.count++;
    size++;
    entryBytes += MemoryModel.listpackEntry(v);
    normalize(n, fill);
  }

  /** Keeps the elements [from, to] (inclusive, already clamped to the list, from <= to) and drops the rest. */
  public void keepRange(int from, int to) {
    int dropTail = size - 1 - to;
    int k = from;
    while (k > 0) {
      Node n = head;
      int drop = Math.min(k, n.count);
      int p = n.start;
      for (int j = 0; j < drop; j++) {
        int len = lenAt(n.buf, p);
        entryBytes -= MemoryModel.listpackEntry(n.buf, p + Varint.size(len), len);
        p += entrySize(len);
      }
      k -= drop;
      size -= drop;
      n.count -= drop;
      n.start = p;
      if (n.count == 0) unlink(n);
      else shrink(n);
    }
    k = dropTail;
    while (k > 0) {
      Node n = tail;
      int drop = Math.min(k, n.count);
      int e = n.end;
      for (int j = 0; j < drop; j++) {
        int len = lenBefore(n.buf, e);
        e -= entrySize(len);
        entryBytes -= MemoryModel.listpackEntry(n.buf, e + Varint.size(len), len);
      }
      k -= drop;
      size -= drop;
      n.count -= drop;
      n.end = e;
      if (n.count == 0) unlink(n);
      else shrink(n);
    }
  }

  public void clear() {
    head = null;
    tail = null;
    entryBytes = 0;
    size = 0;
  }

  public int removeEqual(byte[] b, int off, int len, long limit, boolean fromTail) {
    return removeEqual(b, off, len, limit, fromTail, DEFAULT_FILL);
  }

  /**
   * Removes elements equal to b[off, off+len): up to {@code limit} of them (0 = all) scanning from the head, or
   * from the tail when {@code fromTail}. Returns how many were removed. One pass over the nodes, O(n); nodes left
   * small are merged with their neighbours.
   */
  public int removeEqual(byte[] b, int off, int len, long limit, boolean fromTail, int fill) {
    long left = limit == 0 ? Long.MAX_VALUE : limit;
    int removed = 0;
    Node n = fromTail ? tail : head;
    while (n != null && left > 0) {
      Node following = fromTail ? n.prev : n.next;
      byte[] buf = n.buf;
      int matches = 0;
      for (int p = n.start; p < n.end; ) {
        int l = lenAt(buf, p);
        int d = p + Varint.size(l);
        if (l == len && Arrays.equals(buf, d, d + l, b, off, off + len)) matches++;
        p = d + l + Varint.size(l);
      }
      int drop = (int) Math.min(matches, left);
      if (drop > 0) {
        // keep all but the first drop matches (from the head) or the last drop ones (from the tail)
        int skipFrom = fromTail ? matches - drop : 0;
        int skipTo = fromTail ? matches : drop;
        int w = n.start;
        int m = 0;
        for (int p = n.start; p < n.end; ) {
          int l = lenAt(buf, p);
          int d = p + Varint.size(l);
          int q = d + l + Varint.size(l);
          boolean match = l == len && Arrays.equals(buf, d, d + l, b, off, off + len);
          if (match && m >= skipFrom && m < skipTo) {
            entryBytes -= MemoryModel.listpackEntry(buf, d, l);
          } else {
            if (w != p) System.arraycopy(buf, p, buf, w, q - p);
            w += q - p;
          }
          if (match) m++;
          p = q;
        }
        n.end = w;
        n.count -= drop;
        size -= drop;
        removed += drop;
        left -= drop;
        if (n.count == 0) unlink(n);
        else shrink(n);
      }
      n = following;
    }
    if (removed > 0) mergeSmall(fill);
    return removed;
  }

  /** Index of the first element equal to the given bytes; -1 when none. */
  public int indexOf(byte[] b, int off, int len) {
    int i = 0;
    for (Node n = head; n != null; n = n.next) {
      byte[] buf = n.buf;
      for (int p = n.start; p < n.end; i++) {
        int l = lenAt(buf, p);
        int d = p + Varint.size(l);
        if (l == len && Arrays.equals(buf, d, d + l, b, off, off + len)) return i;
        p = d + l + Varint.size(l);
      }
    }
    return -1;
  }

  public static boolean equal(byte[] x, byte[] b, int off, int len) {
    return x.length == len && Arrays.equals(x, 0, len, b, off, off + len);
  }

  /** The elements in order (copies); for tests and commands that sort. */
  public byte[][] toArray() {
    if (size == 0) return EMPTY;
    byte[][] r = new byte[size][];
    Cursor c = cursor(0);
    int i = 0;
    do {
      r[i++] = c.bytes();
    } while (c.next());
    return r;
  }

  /**
   * The elements as a list view, decoded as they are read: sequential reads (forwards or backwards) cost O(1)
   * each. The view reads this value as it is, so callers that read it elsewhere hand it a {@link #copy()}.
   */
  public List<byte[]> elements() {
    return new Elements(this);
  }

  private static final class Elements extends AbstractList<byte[]> {
    private final ListValue list;
    private Cursor at;
    private int index;

    Elements(ListValue list) {
      this.list = list;
    }

    @Override
    public byte[] get(int i) {
      if (i < 0 || i >= list.size) throw new IndexOutOfBoundsException(i);
      if (at == null || Math.abs(i - index) > 8) {
        at = list.cursor(i);
        index = i;
      }
      while (index < i) {
        at.next();
        index++;
      }
      while (index > i) {
        at.prev();
        index--;
      }
      return at.bytes();
    }

    @Override
    public int size() {
      return list.size;
    }
  }

  // ---------------------------------------------------------------- cursors

  /** A cursor at element i (0 <= i < size): the nodes are walked from the nearer end, then the node's entries. */
  public Cursor cursor(int i) {
    if (i < 0 || i >= size) throw new IndexOutOfBoundsException(i);
    Node n;
    int r;
    if (i < (size >> 1)) {
      n = head;
      r = i;
      while (r >= n.count) {
        r -= n.count;
        n = n.next;
      }
    } else {
      n = tail;
      int back = size - 1 - i;
      while (back >= n.count) {
        back -= n.count;
        n = n.prev;
      }
      r = n.count - 1 - back;
    }
    Cursor c = new Cursor();
    c.node = n;
    byte[] buf = n.buf;
    if (r <= (n.count >> 1)) {
      int p = n.start;
      for (int j = 0; j < r; j++) p += entrySize(lenAt(buf, p));
      c.pos = p;
      c.len = lenAt(buf, p);
    } else {
      int e = n.end;
      int len;
      int j = n.count;
      do {
        len = lenBefore(buf, e);
        e -= entrySize(len);
      } while (--j > r);
      c.pos = e;
      c.len = len;
    }
    return c;
  }

  /** A position on one element; {@link #next()} and {@link #prev()} step through the list. */
  public static final class Cursor {
    private Node node;
    /** Where the element's entry starts in the node's array. */
    private int pos;
    private int len;

    private Cursor() {}

    /** The array holding the element's bytes, at {@link #off()} for {@link #len()} bytes; do not modify. */
    public byte[] buf() {
      return node.buf;
    }

    public int off() {
      return pos + Varint.size(len);
    }

    public int len() {
      return len;
    }

    /** A copy of the element. */
    public byte[] bytes() {
      int off = off();
      return Arrays.copyOfRange(node.buf, off, off + len);
    }

    public boolean equalTo(byte[] b, int boff, int blen) {
      int o = off();
      return len == blen && Arrays.equals(node.buf, o, o + len, b, boff, boff + blen);
    }

    /** Moves to the next element; false (staying put) at the tail. */
    public boolean next() {
      int p = pos + entrySize(len);
      if (p < node.end) {
        pos = p;
        len = lenAt(node.buf, p);
        return true;
      }
      Node n = node.next;
      if (n == null) return false;
      node = n;
      pos = n.start;
      len = lenAt(n.buf, pos);
      return true;
    }

    /** Moves to the previous element; false (staying put) at the head. */
    public boolean prev() {
      if (pos > node.start) {
        len = lenBefore(node.buf, pos);
        pos -= entrySize(len);
        return true;
      }
      Node n = node.prev;
      if (n == null) return false;
      node = n;
      len = lenBefore(n.buf, n.end);
      pos = n.end - entrySize(len);
      return true;
    }
  }
}
