package dev.vireo.store;

import dev.vireo.resp.CommandError;
import dev.vireo.resp.Errors;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A sorted set. Redis answers {@code listpack} for small sets and {@code skiplist} once a set grew past
 * zset-max-listpack-entries or held a member longer than zset-max-listpack-value; the order of elements is the same
 * in both, and the conversion goes one way, as in Redis.
 *
 * <p>The layouts follow the encodings. A listpack set is one exact-size byte array of (member, score) entries in
 * order ({@link ZPack}, scores in 1, 2, 4 or 8 bytes as they fit exactly) and a counter: no object per member, and
 * lookups scan linearly as Redis scans its listpack. A skiplist set is a {@link ZSkipList} with an open-addressing
 * member table. Measured with 100k sets of 10 members (members {@code member0..member9}, scores 0, 1.5 .. 13.5;
 * JDK 17, live heap after a full GC): about 2,350 bytes per set when every set was a skip list (32-level head
 * arrays, a span and a link array per node, a {@code Bytes} and a hash map entry per member), 152 now (24 for this
 * object, 128 for its array), so a whole key (entry, name, value) takes about 244 bytes against the 246 of Redis's
 * used_memory per key. One array beats a sorted {@code double[]} beside a packed member array: that pair costs two
 * array headers and a full 8 bytes per score, about 70 bytes more for this set, to save a decode on reads that a
 * linear scan of at most 128 entries does not miss.
 *
 * <p>Both layouts are read through {@link Node}s: the skip list's own nodes, or short-lived views of a packed
 * entry, valid until the set next changes.
 */
public final class ZSetValue implements TypedValue {
  /** A score's listpack entry, taken as a small integer or a short decimal. */
  private static final int SCORE_ENTRY = 4;

  /** One element, in ascending order: its member (do not modify the array) and score. */
  public abstract static class Node {
    public final byte[] member;
    public double score;

    Node(byte[] member, double score) {
      this.member = member;
      this.score = score;
    }

    /** The next element in ascending order, or null. */
    public abstract Node next();

    /** The previous element, or null. */
    public abstract Node prev();
  }

  /** Entry offsets of a packed set up to where a walk backwards started, computed once for its views. */
  private static final class Walk {
    int[] offsets;
  }

  /** A view of a packed entry. */
  private static final class PackedNode extends Node {
    final ZSetValue owner;
    final int off;
    final int index;
    final Walk walk;

    PackedNode(ZSetValue owner, int off, int h, int index, Walk walk) {
      super(ZPack.member(owner.packed(), off, h), ZPack.score(owner.packed(), off, h));
      this.owner = owner;
      this.off = off;
      this.index = index;
      this.walk = walk;
    }

    @Override
    public Node next() {
      byte[] p = owner.packed();
      int e = ZPack.end(p, off);
      return e < p.length ? owner.view(e, index + 1, walk) : null;
    }

    @Override
    public Node prev() {
      if (index == 0) return null;
      byte[] p = owner.packed();
      if (walk.offsets == null || walk.offsets.length < index) {
        int[] offs = new int[index];
        for (int i = 0, o = 0; i < offs.length; i++, o = ZPack.end(p, o)) offs[i] = o;
        walk.offsets = offs;
      }
      return owner.view(walk.offsets[index - 1], index - 1, walk);
    }
  }

  /** The entries: a packed {@code byte[]} (listpack) or a {@link ZSkipList} (skiplist). */
  private Object data;
  /** The number of packed entries, and their size as listpack entries for the memory model. */
  private int count;
  private int entryBytes;

  public ZSetValue(boolean skiplist) {
    this.data = skiplist ? new ZSkipList() : ZPack.EMPTY;
  }

  /** The sorted set held by an entry, or WRONGTYPE. */
  public static ZSetValue of(Entry e) {
    if (e.value instanceof ZSetValue z) return z;
    throw new CommandError(Errors.WRONGTYPE);
  }

  private byte[] packed() {
    return (byte[]) data;
  }

  private ZSkipList list() {
    return (ZSkipList) data;
  }

  private PackedNode view(int off, int index, Walk walk) {
    return new PackedNode(this, off, ZPack.header(packed(), off), index, walk);
  }

  /** The view at an index, with the offsets of the entries before it kept for a walk backwards. */
  private PackedNode viewBackwards(int index) {
    byte[] p = packed();
    Walk w = new Walk();
    w.offsets = new int[index];
    int off = 0;
    for (int i = 0; i < index; i++) {
      w.offsets[i] = off;
      off = ZPack.end(p, off);
    }
    return view(off, index, w);
  }

  /**
   * A listpack-encoded set of these members, in any order, built with one allocation (as an RDB load does); null
   * when a member repeats.
   */
  public static ZSetValue listpackOf(double[] scores, byte[][] members) {
    int n = members.length;
    Integer[] byMember = new Integer[n];
    for (int i = 0; i < n; i++) byMember[i] = i;
    Arrays.sort(byMember, (x, y) -> Arrays.compareUnsigned(members[x], members[y]));
    for (int i = 1; i < n; i++) if (Arrays.equals(members[byMember[i - 1]], members[byMember[i]])) return null;
    double[] s = new double[n];
    for (int i = 0; i < n; i++) s[i] = scores[i] == 0 ? 0.0 : scores[i]; // a listpack keeps -0 as the integer 0
    Integer[] order = byMember.clone(); // stable: equal scores stay in member order
    Arrays.sort(order, (x, y) -> Double.compare(s[x], s[y]));
    ZSetValue z = new ZSetValue(false);
    int size = 0;
    for (int i = 0; i < n; i++) {
      size += ZPack.entrySize(s[i], members[i].length);
      z.entryBytes += MemoryModel.listpackEntry(members[i]) + SCORE_ENTRY;
    }
    byte[] p = new byte[size];
    int w = 0;
    for (int i : order) w = ZPack.write(p, w, s[i], members[i]);
    z.data = n == 0 ? ZPack.EMPTY : p;
    z.count = n;
    return z;
  }

  @Override
  public String typeName() {
    return "zset";
  }

  @Override
  public String encoding() {
    return isListpack() ? "listpack" : "skiplist";
  }

  public boolean isListpack() {
    return data instanceof byte[];
  }

  /** Before adding a member: switches to the skiplist encoding when it would exceed the limits (never back). */
  public void checkEncoding(EncodingLimits lim, int memberLen) {
    if (isListpack() && (count + 1 > lim.zsetMaxListpackEntries || memberLen > lim.zsetMaxListpackValue)) {
      forceSkiplist();
    }
  }

  @Override
  public long memory() {
    if (isListpack()) return MemoryModel.OBJECT + MemoryModel.listpack(entryBytes);
    ZSkipList l = list();
    return MemoryModel.OBJECT + 16 + MemoryModel.dict(l.length)
        + (long) l.length * (MemoryModel.DICT_ENTRY + MemoryModel.SKIPLIST_NODE) + l.memberSds;
  }

  /** Converts to the skiplist encoding (SORT reads a sorted set as Redis does after converting it). */
  public void forceSkiplist() {
    if (!isListpack()) return;
    byte[] p = packed();
    ZSkipList l = new ZSkipList();
    for (int off = 0; off < p.length; ) {
      int h = ZPack.header(p, off);
      l.insert(ZPack.score(p, off, h), ZPack.member(p, off, h));
      off = ZPack.end(off, h);
    }
    data = l;
    count = 0;
    entryBytes = 0;
  }

  @Override
  public ZSetValue copy() {
    if (isListpack()) {
      ZSetValue z = new ZSetValue(false);
      z.data = packed().clone();
      z.count = count;
      z.entryBytes = entryBytes;
      return z;
    }
    ZSetValue z = new ZSetValue(true);
    for (Node n = first(); n != null; n = n.next()) z.list().insert(n.score, n.member);
    return z;
  }

  public int size() {
    return isListpack() ? count : list().length;
  }

  public Node first() {
    if (!isListpack()) return list().head.next0;
    return count == 0 ? null : view(0, 0, new Walk());
  }

  public Node last() {
    if (!isListpack()) return list().tail;
    return count == 0 ? null : viewBackwards(count - 1);
  }

  public Node find(Bytes member) {
    byte[] m = member.array();
    return find(m, 0, m.length);
  }

  /** The element of a member given as a slice, or null. */
  public Node find(byte[] m, int off, int len) {
    if (!isListpack()) return list().find(m, off, len);
    byte[] p = packed();
    int index = 0;
    for (int o = 0; o < p.length; index++) {
      int h = ZPack.header(p, o);
      if (ZPack.memberEquals(p, o, h, m, off, len)) return new PackedNode(this, o, h, index, new Walk());
      o = ZPack.end(o, h);
    }
    return null;
  }

  /** The score of a member given as a slice, or NaN when absent (a stored score is never NaN). */
  public double score(byte[] m, int off, int len) {
    if (!isListpack()) {
      ZSkipList.SkipNode n = list().find(m, off, len);
      return n == null ? Double.NaN : n.score;
    }
    byte[] p = packed();
    int o = ZPack.find(p, m, off, len);
    return o < 0 ? Double.NaN : ZPack.score(p, o, ZPack.header(p, o));
  }

  /** Inserts a member known to be absent. */
  public void insert(double score, Bytes member) {
    insert(score, member.array());
  }

  /** Inserts a member known to be absent; the array is kept (do not modify it afterwards). */
  public void insert(double score, byte[] member) {
    if (!isListpack()) {
      list().insert(score, member);
      return;
    }
    if (score == 0) score = 0.0; // a listpack keeps -0 as the integer 0
    data = ZPack.insert(packed(), score, member);
    count++;
    entryBytes += MemoryModel.listpackEntry(member) + SCORE_ENTRY;
  }

  /** Removes a member; returns false when absent. */
  public boolean remove(Bytes member) {
    byte[] m = member.array();
    if (!isListpack()) {
      ZSkipList l = list();
      ZSkipList.SkipNode n = l.find(m, 0, m.length);
      if (n == null) return false;
      l.remove(n);
      return true;
    }
    int off = ZPack.find(packed(), m, 0, m.length);
    if (off < 0) return false;
    removePacked(off);
    return true;
  }

  private void removePacked(int off) {
    byte[] p = packed();
    int h = ZPack.header(p, off);
    int mo = ZPack.memberOff(off, h);
    entryBytes -= MemoryModel.listpackEntry(p, mo, ZPack.memberLen(h)) + SCORE_ENTRY;
    data = ZPack.cut(p, off, ZPack.end(off, h));
    count--;
  }

  /** Removes an element of this set (a view must be current). */
  public void remove(Node n) {
    if (n instanceof PackedNode v) removePacked(v.off);
    else list().remove((ZSkipList.SkipNode) n);
  }

  /** Removes the elements of ranks [first, first + n). */
  public void removeRanks(long first, long n) {
    if (n <= 0 || first < 0 || first >= size()) return;
    if (!isListpack()) {
      ZSkipList l = list();
      ZSkipList.SkipNode x = l.byRank(first);
      for (long k = 0; k < n && x != null; k++) {
        ZSkipList.SkipNode nx = x.next0;
        l.remove(x);
        x = nx;
      }
      return;
    }
    byte[] p = packed();
    int from = ZPack.offsetOf(p, first);
    int to = from;
    long k = 0;
    for (; k < n && to < p.length; k++) {
      int h = ZPack.header(p, to);
      int mo = ZPack.memberOff(to, h);
      entryBytes -= MemoryModel.listpackEntry(p, mo, ZPack.memberLen(h)) + SCORE_ENTRY;
      to = ZPack.end(to, h);
    }
    data = ZPack.cut(p, from, to);
    count -= (int) k;
  }

  /** Changes the score of an element (a view must be current), moving it when its position changes. */
  public void updateScore(Node n, double score) {
    if (n instanceof PackedNode v) {
      if (score == 0) score = 0.0;
      data = ZPack.rescore(packed(), v.off, score);
    } else {
      list().updateScore((ZSkipList.SkipNode) n, score);
    }
  }

  /** Adds or updates; returns true when the member was new. */
  public boolean put(double score, Bytes member) {
    byte[] m = member.array();
    Node n = find(m, 0, m.length);
    if (n == null) {
      insert(score, m);
      return true;
    }
    if (n.score != score) updateScore(n, score);
    return false;
  }

  /** 0-based rank of an element in ascending order. */
  public long rank(Node n) {
    if (n instanceof PackedNode v) return v.index;
    return list().rank((ZSkipList.SkipNode) n);
  }

  /** The element at a 0-based rank, or null. */
  public Node byRank(long rank) {
    if (!isListpack()) return list().byRank(rank);
    if (rank < 0 || rank >= count) return null;
    // From the upper half, a walk most likely goes down (ZREVRANGE): keep the offsets found on the way.
    if (rank * 2 >= count) return viewBackwards((int) rank);
    return view(ZPack.offsetOf(packed(), rank), (int) rank, new Walk());
  }

  // ---------------------------------------------------------------- score ranges

  /** A score interval with optional exclusive ends. */
  public record ScoreRange(double min, boolean minex, double max, boolean maxex) {
    public boolean gteMin(double v) {
      return minex ? v > min : v >= min;
    }

    public boolean lteMax(double v) {
      return maxex ? v < max : v <= max;
    }

    public boolean empty() {
      return min > max || (min == max && (minex || maxex));
    }
  }

  private boolean outside(ScoreRange r) {
    if (r.empty() || size() == 0) return true;
    if (!isListpack()) return !r.gteMin(list().tail.score) || !r.lteMax(list().head.next0.score);
    return false;
  }

  /** The first element inside the range, or null. */
  public Node firstIn(ScoreRange r) {
    if (outside(r)) return null;
    if (!isListpack()) return list().firstIn(r);
    byte[] p = packed();
    int index = 0;
    for (int off = 0; off < p.length; index++) {
      int h = ZPack.header(p, off);
      double s = ZPack.score(p, off, h);
      if (r.gteMin(s)) return r.lteMax(s) ? new PackedNode(this, off, h, index, new Walk()) : null;
      off = ZPack.end(off, h);
    }
    return null;
  }

  /** The last element inside the range, or null. */
  public Node lastIn(ScoreRange r) {
    if (outside(r)) return null;
    if (!isListpack()) return list().lastIn(r);
    // The last entry at or below max (a scan from the end stops at the same one), if it is above min.
    PackedNode v = lastPacked((p, off, h) -> r.lteMax(ZPack.score(p, off, h)), true);
    return v != null && r.gteMin(v.score) ? v : null;
  }

  /** A test of one packed entry (its array, offset and header). */
  private interface EntryTest {
    boolean test(byte[] p, int off, int h);
  }

  /**
   * A view of the last packed entry that passes {@code atOrBelowMax}, or null. With {@code ordered} the entries
   * are sorted by what the test reads and the walk stops at the first that fails; otherwise it reads them all.
   */
  private PackedNode lastPacked(EntryTest atOrBelowMax, boolean ordered) {
    byte[] p = packed();
    Walk w = new Walk();
    w.offsets = new int[count];
    int at = -1;
    int atIndex = -1;
    int index = 0;
    for (int off = 0; off < p.length; index++) {
      int h = ZPack.header(p, off);
      boolean in = atOrBelowMax.test(p, off, h);
      if (!in && ordered) break;
      w.offsets[index] = off;
      if (in) {
        at = off;
        atIndex = index;
      }
      off = ZPack.end(off, h);
    }
    return at < 0 ? null : view(at, atIndex, w);
  }

  // ---------------------------------------------------------------- lex ranges

  /** A member interval; a null bound with {@code inf} set is '-' (min) or '+' (max). */
  public record LexRange(byte[] min, boolean minex, boolean minInf, boolean minPlus, byte[] max, boolean maxex,
      boolean maxInf, boolean maxMinus) {
    public boolean gteMin(byte[] v) {
      return gteMin(v, 0, v.length);
    }

    public boolean gteMin(byte[] v, int off, int len) {
      if (minInf) return true;
      if (minPlus) return false;
      int c = Arrays.compareUnsigned(v, off, off + len, min, 0, min.length);
      return minex ? c > 0 : c >= 0;
    }

    /** True when min is above max ('-' sorts before and '+' after every string). */
    public boolean empty() {
      int minRank = minInf ? 0 : minPlus ? 2 : 1;
      int maxRank = maxMinus ? 0 : maxInf ? 2 : 1;
      int cmp = minRank != maxRank || minRank != 1 ? Integer.compare(minRank, maxRank)
          : Arrays.compareUnsigned(min, max);
      boolean minExclusive = minex || minInf || minPlus;
      boolean maxExclusive = maxex || maxInf || maxMinus;
      return cmp > 0 || (cmp == 0 && (minExclusive || maxExclusive));
    }

    public boolean lteMax(byte[] v) {
      return lteMax(v, 0, v.length);
    }

    public boolean lteMax(byte[] v, int off, int len) {
      if (maxInf) return true;
      if (maxMinus) return false;
      int c = Arrays.compareUnsigned(v, off, off + len, max, 0, max.length);
      return maxex ? c < 0 : c <= 0;
    }
  }

  /*
   * Lex ranges assume equal scores. For other sets the answer depends on the walk, so a listpack-encoded set is
   * scanned linearly (the first entry at or above min; the last one at or below max) as Redis scans a listpack.
   */
  public Node firstIn(LexRange r) {
    if (!lexOverlaps(r)) return null;
    if (!isListpack()) return list().firstIn(r);
    byte[] p = packed();
    int index = 0;
    for (int off = 0; off < p.length; index++) {
      int h = ZPack.header(p, off);
      int mo = ZPack.memberOff(off, h);
      if (r.gteMin(p, mo, ZPack.memberLen(h))) {
        return r.lteMax(p, mo, ZPack.memberLen(h)) ? new PackedNode(this, off, h, index, new Walk()) : null;
      }
      off = ZPack.end(off, h);
    }
    return null;
  }

  public Node lastIn(LexRange r) {
    if (!lexOverlaps(r)) return null;
    if (!isListpack()) return list().lastIn(r);
    PackedNode v = lastPacked((p, off, h) -> r.lteMax(p, ZPack.memberOff(off, h), ZPack.memberLen(h)), false);
    return v != null && r.gteMin(v.member) ? v : null;
  }

  /** Redis's first check: a non-empty range, the last member at or above min and the first at or below max. */
  private boolean lexOverlaps(LexRange r) {
    if (r.empty() || size() == 0) return false;
    if (!isListpack()) {
      ZSkipList l = list();
      return r.gteMin(l.tail.member) && r.lteMax(l.head.next0.member);
    }
    byte[] p = packed();
    int h = ZPack.header(p, 0);
    if (!r.lteMax(p, ZPack.memberOff(0, h), ZPack.memberLen(h))) return false;
    int last = ZPack.offsetOf(p, count - 1);
    h = ZPack.header(p, last);
    return r.gteMin(p, ZPack.memberOff(last, h), ZPack.memberLen(h));
  }

  /** A uniformly random element. */
  public Node random() {
    return byRank(ThreadLocalRandom.current().nextInt(size()));
  }
}
