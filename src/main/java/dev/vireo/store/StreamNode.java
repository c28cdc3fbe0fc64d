package dev.vireo.store;

import static dev.vireo.util.ListpackBytes.HEADER_SIZE;
import static dev.vireo.util.ListpackBytes.backlenSize;
import static dev.vireo.util.ListpackBytes.equalsAt;
import static dev.vireo.util.ListpackBytes.intAt;
import static dev.vireo.util.ListpackBytes.intElementSize;
import static dev.vireo.util.ListpackBytes.isInt;
import static dev.vireo.util.ListpackBytes.next;
import static dev.vireo.util.ListpackBytes.writeInt;
import static dev.vireo.util.ListpackBytes.writeStr;

import dev.vireo.resp.Args;
import dev.vireo.util.ListpackBytes;
import java.util.Arrays;

/**
 * One node of a stream: a listpack laid out exactly as Redis lays out its stream nodes, so that trimming, node
 * boundaries and the RDB form are Redis's own. The first entries are the counters and the master fields:
 *
 * <pre>
 * count | deleted | master-field-count | field... | 0
 * then per entry:  flags | ms-diff | seq-diff | [field-count | field value ...] | lp-count
 *             or:  flags | ms-diff | seq-diff | value ... | lp-count        (SAMEFIELDS: the master's fields)
 * </pre>
 *
 * IDs are deltas from the node's master ID; deleted entries stay in place with the DELETED flag until their node
 * goes. The array has spare room while the node is the stream's tail, and is cut to size when it stops being it.
 */
final class StreamNode {
  static final int FLAG_DELETED = 1;
  static final int FLAG_SAMEFIELDS = 2;

  final StreamId master;
  byte[] lp;
  int used;
  int elements;
  /** Live and deleted entries, as the first two elements say. */
  int count;
  int deleted;
  int masterFields;
  /** Position of the master field-count element, and of the first entry's flags. */
  int masterAt;
  int entriesAt;

  private StreamNode(StreamId master) {
    this.master = master;
  }

  /** A new node whose master entry takes the fields of its first entry, which it then holds. */
  static StreamNode create(StreamId id, Args a, int first, int pairs) {
    StreamNode n = new StreamNode(id);
    int size = HEADER_SIZE + 1 + intElementSize(1) + intElementSize(0) + intElementSize(pairs) + intElementSize(0);
    for (int i = 0; i < pairs; i++) size += ListpackBytes.elementSize(a.buf(first + 2 * i), a.off(first + 2 * i),
        a.len(first + 2 * i));
    n.lp = new byte[Math.max(64, size * 2 + 64)];
    int p = HEADER_SIZE;
    p = writeInt(n.lp, p, 1);
    p = writeInt(n.lp, p, 0);
    n.masterAt = p;
    p = writeInt(n.lp, p, pairs);
    for (int i = 0; i < pairs; i++) {
      int j = first + 2 * i;
      p = writeStr(n.lp, p, a.buf(j), a.off(j), a.len(j));
    }
    p = writeInt(n.lp, p, 0);
    n.entriesAt = p;
    n.count = 0; // the counters are rewritten by the append
    n.deleted = 0;
    n.masterFields = pairs;
    n.elements = 4 + pairs;
    n.used = p + 1;
    n.lp[p] = (byte) ListpackBytes.EOF;
    n.appendEntry(id, a, first, pairs);
    return n;
  }

  /** Appends an entry (the caller has checked the node's limits); updates the counters. */
  void appendEntry(StreamId id, Args a, int first, int pairs) {
    boolean same = pairs == masterFields;
    if (same) {
      int p = next(lp, masterAt);
      for (int i = 0; i < pairs && same; i++) {
        int j = first + 2 * i;
        same = equalsAt(lp, p, a.buf(j), a.off(j), a.len(j));
        p = next(lp, p);
      }
    }
    long msDiff = id.ms() - master.ms();
    long seqDiff = id.seq() - master.seq();
    int size = intElementSize(same ? FLAG_SAMEFIELDS : 0) + intElementSize(msDiff) + intElementSize(seqDiff);
    int lpCount = same ? pairs + 3 : 2 * pairs + 4;
    size += intElementSize(lpCount);
    if (!same) size += intElementSize(pairs);
    for (int i = 0; i < pairs; i++) {
      int j = first + 2 * i;
      if (!same) size += ListpackBytes.elementSize(a.buf(j), a.off(j), a.len(j));
      size += ListpackBytes.elementSize(a.buf(j + 1), a.off(j + 1), a.len(j + 1));
    }
    ensure(used + size + 16);
    int p = used - 1; // over the end byte
    p = writeInt(lp, p, same ? FLAG_SAMEFIELDS : 0);
    p = writeInt(lp, p, msDiff);
    p = writeInt(lp, p, seqDiff);
    if (!same) p = writeInt(lp, p, pairs);
    for (int i = 0; i < pairs; i++) {
      int j = first + 2 * i;
      if (!same) p = writeStr(lp, p, a.buf(j), a.off(j), a.len(j));
      p = writeStr(lp, p, a.buf(j + 1), a.off(j + 1), a.len(j + 1));
    }
    p = writeInt(lp, p, lpCount);
    lp[p] = (byte) ListpackBytes.EOF;
    used = p + 1;
    elements += lpCount + 1; // lp-count counts the entry's other elements
    setCounters(count + 1, deleted);
  }

  private void ensure(int capacity) {
    if (capacity > lp.length) lp = Arrays.copyOf(lp, Math.max(capacity, lp.length * 2));
  }

  /** Cuts the spare room (the node is no longer the stream's tail). */
  void shrink() {
    if (lp.length != used) lp = Arrays.copyOf(lp, used);
  }

  /** Rewrites the count and deleted elements, moving what follows when their width changes. */
  void setCounters(int newCount, int newDeleted) {
    int oldEnd = masterAt;
    int newSize = intElementSize(newCount) + intElementSize(newDeleted);
    int delta = HEADER_SIZE + newSize - oldEnd;
    if (delta != 0) {
      ensure(used + delta);
      System.arraycopy(lp, oldEnd, lp, oldEnd + delta, used - oldEnd);
      used += delta;
      masterAt += delta;
      entriesAt += delta;
    }
    int p = writeInt(lp, HEADER_SIZE, newCount);
    writeInt(lp, p, newDeleted);
    count = newCount;
    deleted = newDeleted;
    ListpackBytes.header(lp, used, elements);
  }

  /** The listpack as Redis stores it (a copy, cut to size). */
  byte[] listpack() {
    ListpackBytes.header(lp, used, elements);
    return Arrays.copyOf(lp, used);
  }

  // ------------------------------------------------------------------------------------------------- entries

  /** Positions of every entry's flags element, deleted ones included, in order. */
  int[] entryPositions() {
    int[] at = new int[count + deleted];
    int p = entriesAt;
    for (int i = 0; i < at.length; i++) {
      at[i] = p;
      p = skipEntry(p);
    }
    return at;
  }

  /** The position after the entry whose flags are at {@code p}. */
  int skipEntry(int p) {
    int flags = (int) intAt(lp, p);
    p = next(lp, next(lp, next(lp, p)));
    int n;
    if ((flags & FLAG_SAMEFIELDS) != 0) {
      n = masterFields;
    } else {
      n = 2 * (int) intAt(lp, p);
      p = next(lp, p);
    }
    for (int i = 0; i < n; i++) p = next(lp, p);
    return next(lp, p); // lp-count
  }

  StreamId idAt(int p) {
    int q = next(lp, p);
    long ms = intAt(lp, q);
    long seq = intAt(lp, next(lp, q));
    return new StreamId(master.ms() + ms, master.seq() + seq);
  }

  int flagsAt(int p) {
    return (int) intAt(lp, p);
  }

  /** Marks the entry at {@code p} deleted (a one-byte flag, rewritten in place) and counts it. */
  void markDeleted(int p) {
    lp[p] = (byte) (intAt(lp, p) | FLAG_DELETED);
    setCounters(count - 1, deleted + 1);
  }

  /** The ID of the last entry, deleted or not. */
  StreamId lastId() {
    int[] at = entryPositions();
    return idAt(at[at.length - 1]);
  }

  /**
   * Field and value positions of the entry at {@code p}, alternating: field 0, value 0, field 1... Fields of a
   * SAMEFIELDS entry point into the master entry.
   */
  int[] fieldPositions(int p) {
    int flags = (int) intAt(lp, p);
    p = next(lp, next(lp, next(lp, p)));
    if ((flags & FLAG_SAMEFIELDS) != 0) {
      int[] r = new int[2 * masterFields];
      int f = next(lp, masterAt);
      for (int i = 0; i < masterFields; i++) {
        r[2 * i] = f;
        r[2 * i + 1] = p;
        f = next(lp, f);
        p = next(lp, p);
      }
      return r;
    }
    int n = (int) intAt(lp, p);
    p = next(lp, p);
    int[] r = new int[2 * n];
    for (int i = 0; i < 2 * n; i++) {
      r[i] = p;
      p = next(lp, p);
    }
    return r;
  }

  StreamNode copy() {
    StreamNode n = new StreamNode(master);
    n.lp = Arrays.copyOf(lp, used);
    n.used = used;
    n.elements = elements;
    n.count = count;
    n.deleted = deleted;
    n.masterFields = masterFields;
    n.masterAt = masterAt;
    n.entriesAt = entriesAt;
    return n;
  }

  // ------------------------------------------------------------------------------------------------- loading

  /**
   * A node from its listpack as an RDB file or DUMP payload carries it; every element is checked, so that a
   * malformed listpack is refused here rather than misread later. Returns null with {@code why} set when invalid.
   */
  static StreamNode fromListpack(StreamId master, byte[] lp, String[] why) {
    try {
      return parse(master, lp);
    } catch (RuntimeException e) {
      why[0] = e.getMessage() == null ? e.toString() : e.getMessage();
      return null;
    }
  }

  private static StreamNode parse(StreamId master, byte[] lp) {
    int len = lp.length;
    check(len >= HEADER_SIZE + 1, "listpack shorter than its header");
    check(ListpackBytes.getLE(lp, 0, 4) == len, "listpack header length mismatch");
    check((lp[len - 1] & 0xFF) == ListpackBytes.EOF, "listpack without its end byte");
    StreamNode n = new StreamNode(master);
    n.lp = lp;
    n.used = len;
    int end = len - 1;
    int[] elements = {0};
    int p = HEADER_SIZE;
    p = checkedInt(lp, p, end, elements);
    n.count = (int) intAt(lp, HEADER_SIZE);
    int deletedAt = p;
    p = checkedInt(lp, p, end, elements);
    n.deleted = (int) intAt(lp, deletedAt);
    check(n.count >= 0 && n.deleted >= 0, "negative entry counts");
    n.masterAt = p;
    p = checkedInt(lp, p, end, elements);
    n.masterFields = (int) intAt(lp, n.masterAt);
    check(n.masterFields >= 0, "negative master field count");
    for (int i = 0; i < n.masterFields; i++) p = checked(lp, p, end, elements);
    int zero = p;
    p = checkedInt(lp, p, end, elements);
    check(intAt(lp, zero) == 0, "master entry without its terminator");
    n.entriesAt = p;
    int entries = 0;
    int live = 0;
    StreamId prev = null;
    while (p < end) {
      int start = p;
      int flagsAt = p;
      p = checkedInt(lp, p, end, elements);
      int flags = (int) intAt(lp, flagsAt);
      p = checkedInt(lp, p, end, elements);
      p = checkedInt(lp, p, end, elements);
      int fields;
      if ((flags & FLAG_SAMEFIELDS) != 0) {
        fields = n.masterFields;
      } else {
        int at = p;
        p = checkedInt(lp, p, end, elements);
        fields = (int) intAt(lp, at);
        check(fields >= 0, "negative field count");
        fields *= 2;
      }
      for (int i = 0; i < fields; i++) p = checked(lp, p, end, elements);
      int countAt = p;
      p = checkedInt(lp, p, end, elements);
      long lpCount = intAt(lp, countAt);
      long expected = (flags & FLAG_SAMEFIELDS) != 0 ? n.masterFields + 3 : fields + 4;
      check(lpCount == expected, "entry lp-count mismatch");
      StreamId id = n.idAt(start);
      check(prev == null || id.compareTo(prev) > 0, "entry IDs out of order");
      check(id.compareTo(master) >= 0, "entry ID below the node's master ID");
      prev = id;
      entries++;
      if ((flags & FLAG_DELETED) == 0) live++;
    }
    check(entries == n.count + n.deleted && live == n.count, "entry counts mismatch");
    check(n.count > 0, "empty listpack inside stream");
    int declared = (int) ListpackBytes.getLE(lp, 4, 2);
    check(declared == ListpackBytes.COUNT_UNKNOWN || declared == elements[0], "listpack element count mismatch");
    n.elements = elements[0];
    return n;
  }

  private static int checked(byte[] lp, int p, int end, int[] elements) {
    check(p < end, "listpack element past its end");
    long size = ListpackBytes.encodedSize(lp, p);
    check(size > 0 && p + size + backlenSize((int) size) <= end, "listpack element out of bounds");
    elements[0]++;
    return p + (int) size + backlenSize((int) size);
  }

  private static int checkedInt(byte[] lp, int p, int end, int[] elements) {
    int q = checked(lp, p, end, elements);
    check(isInt(lp, p), "stream listpack element is not an integer");
    return q;
  }

  private static void check(boolean ok, String why) {
    if (!ok) throw new IllegalArgumentException(why);
  }
}
