package dev.vireo.store;

import dev.vireo.resp.CommandError;
import dev.vireo.resp.Errors;
import java.util.Arrays;
import java.util.HashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A sorted set: a skip list ordered by (score, member bytes) whose links carry spans, so rank lookups are
 * O(log n), plus a member → node map for O(1) score lookups. Redis answers {@code listpack} for small sets and
 * {@code skiplist} once a set grew past zset-max-listpack-entries or held a member longer than
 * zset-max-listpack-value; the order of elements is the same in both, so only the reported encoding changes
 * (one way, as in Redis).
 */
public final class ZSetValue implements TypedValue {
  static final int MAX_LEVEL = 32;

  /** One element of the skip list. */
  public static final class Node {
    public final Bytes member;
    public double score;
    Node prev;
    final Node[] next;
    final long[] span;

    Node(int level, double score, Bytes member) {
      this.member = member;
      this.score = score;
      this.next = new Node[level];
      this.span = new long[level];
    }

    /** The next element in ascending order, or null. */
    public Node next() {
      return next[0];
    }

    /** The previous element, or null. */
    public Node prev() {
      return prev;
    }
  }

  private final Node head = new Node(MAX_LEVEL, 0, null);
  private Node tail;
  private int level = 1;
  private int length;
  private final HashMap<Bytes, Node> dict = new HashMap<>();
  private boolean skiplist;
  /** The members' bytes as listpack entries (with a typical score entry), and as sds strings. */
  private long entryBytes;
  private long memberSds;
  /** A score's listpack entry, taken as a small integer or a short decimal. */
  private static final int SCORE_ENTRY = 4;

  public ZSetValue(boolean skiplist) {
    this.skiplist = skiplist;
  }

  /** The sorted set held by an entry, or WRONGTYPE. */
  public static ZSetValue of(Entry e) {
    if (e.value instanceof ZSetValue z) return z;
    throw new CommandError(Errors.WRONGTYPE);
  }

  @Override
  public String typeName() {
    return "zset";
  }

  @Override
  public String encoding() {
    return skiplist ? "skiplist" : "listpack";
  }

  public boolean isListpack() {
    return !skiplist;
  }

  /** Before adding a member: switches to the skiplist encoding when it would exceed the limits (never back). */
  public void checkEncoding(EncodingLimits lim, int memberLen) {
    if (!skiplist && (length + 1 > lim.zsetMaxListpackEntries || memberLen > lim.zsetMaxListpackValue)) {
      skiplist = true;
    }
  }

  @Override
  public long memory() {
    if (!skiplist) return MemoryModel.OBJECT + MemoryModel.listpack(entryBytes);
    return MemoryModel.OBJECT + 16 + MemoryModel.dict(length)
        + (long) length * (MemoryModel.DICT_ENTRY + MemoryModel.SKIPLIST_NODE) + memberSds;
  }

  /** SORT reads a sorted set as Redis does after converting it: the encoding is skiplist from then on. */
  public void forceSkiplist() {
    skiplist = true;
  }

  @Override
  public ZSetValue copy() {
    ZSetValue z = new ZSetValue(skiplist);
    for (Node n = first(); n != null; n = n.next[0]) z.insert(n.score, n.member);
    return z;
  }

  public int size() {
    return length;
  }

  public Node first() {
    return head.next[0];
  }

  public Node last() {
    return tail;
  }

  public Node find(Bytes member) {
    return dict.get(member);
  }

  private static int randomLevel() {
    int lvl = 1;
    ThreadLocalRandom r = ThreadLocalRandom.current();
    while (lvl < MAX_LEVEL && (r.nextInt() & 3) == 0) lvl++;
    return lvl;
  }

  private static boolean before(Node n, double score, Bytes member) {
    return n.score < score || (n.score == score && n.member.compareTo(member) < 0);
  }

  private void account(Bytes member, int sign) {
    byte[] m = member.array();
    entryBytes += sign * (MemoryModel.listpackEntry(m) + SCORE_ENTRY);
    memberSds += sign * MemoryModel.sds(m.length);
  }

  /** Inserts a member known to be absent. */
  public Node insert(double score, Bytes member) {
    if (!skiplist && score == 0) score = 0.0; // a listpack keeps -0 as the integer 0
    Node[] update = new Node[MAX_LEVEL];
    long[] rank = new long[MAX_LEVEL];
    Node x = head;
    for (int i = level - 1; i >= 0; i--) {
      rank[i] = i == level - 1 ? 0 : rank[i + 1];
      while (x.next[i] != null && before(x.next[i], score, member)) {
        rank[i] += x.span[i];
        x = x.next[i];
      }
      update[i] = x;
    }
    int lvl = randomLevel();
    if (lvl > level) {
      for (int i = level; i < lvl; i++) {
        rank[i] = 0;
        update[i] = head;
        head.span[i] = length;
      }
      level = lvl;
    }
    Node n = new Node(lvl, score, member);
    for (int i = 0; i < lvl; i++) {
      n.next[i] = update[i].next[i];
      update[i].next[i] = n;
      n.span[i] = update[i].span[i] - (rank[0] - rank[i]);
      update[i].span[i] = (rank[0] - rank[i]) + 1;
    }
    for (int i = lvl; i < level; i++) update[i].span[i]++;
    n.prev = update[0] == head ? null : update[0];
    if (n.next[0] != null) n.next[0].prev = n;
    else tail = n;
    length++;
    dict.put(member, n);
    account(member, 1);
    return n;
  }

  private void unlink(Node x, Node[] update) {
    for (int i = 0; i < level; i++) {
      if (update[i].next[i] == x) {
        update[i].span[i] += x.span[i] - 1;
        update[i].next[i] = x.next[i];
      } else {
        update[i].span[i] -= 1;
      }
    }
    if (x.next[0] != null) x.next[0].prev = x.prev;
    else tail = x.prev;
    while (level > 1 && head.next[level - 1] == null) level--;
    length--;
    account(x.member, -1);
  }

  private Node[] path(double score, Bytes member) {
    Node[] update = new Node[MAX_LEVEL];
    Node x = head;
    for (int i = level - 1; i >= 0; i--) {
      while (x.next[i] != null && before(x.next[i], score, member)) x = x.next[i];
      update[i] = x;
    }
    return update;
  }

  /** Removes a member; returns false when absent. */
  public boolean remove(Bytes member) {
    Node n = dict.remove(member);
    if (n == null) return false;
    Node[] update = path(n.score, n.member);
    unlink(n, update);
    return true;
  }

  /** Removes a node of this set. */
  public void remove(Node n) {
    dict.remove(n.member);
    unlink(n, path(n.score, n.member));
  }

  /** Changes the score of a node, moving it when its position changes. */
  public Node updateScore(Node n, double score) {
    if (!skiplist && score == 0) score = 0.0;
    Node p = n.prev;
    Node nx = n.next[0];
    if ((p == null || p.score < score || (p.score == score && p.member.compareTo(n.member) < 0))
        && (nx == null || nx.score > score || (nx.score == score && nx.member.compareTo(n.member) > 0))) {
      n.score = score;
      return n;
    }
    remove(n);
    return insert(score, n.member);
  }

  /** Adds or updates; returns true when the member was new. */
  public boolean put(double score, Bytes member) {
    Node n = dict.get(member);
    if (n == null) {
      insert(score, member);
      return true;
    }
    if (n.score != score) updateScore(n, score);
    return false;
  }

  /** 0-based rank of a node in ascending order. */
  public long rank(Node n) {
    long r = 0;
    Node x = head;
    for (int i = level - 1; i >= 0; i--) {
      while (x.next[i] != null && (before(x.next[i], n.score, n.member) || x.next[i] == n)) {
        r += x.span[i];
        x = x.next[i];
      }
      if (x == n) return r - 1;
    }
    return r - 1;
  }

  /** The node at a 0-based rank, or null. */
  public Node byRank(long rank) {
    if (rank < 0 || rank >= length) return null;
    long target = rank + 1;
    long traversed = 0;
    Node x = head;
    for (int i = level - 1; i >= 0; i--) {
      while (x.next[i] != null && traversed + x.span[i] <= target) {
        traversed += x.span[i];
        x = x.next[i];
      }
      if (traversed == target) return x;
    }
    return null;
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

  /** The first node inside the range, or null. */
  public Node firstIn(ScoreRange r) {
    if (r.empty() || tail == null || !r.gteMin(tail.score) || !r.lteMax(head.next[0].score)) return null;
    Node x = head;
    for (int i = level - 1; i >= 0; i--) {
      while (x.next[i] != null && !r.gteMin(x.next[i].score)) x = x.next[i];
    }
    x = x.next[0];
    return x != null && r.lteMax(x.score) ? x : null;
  }

  /** The last node inside the range, or null. */
  public Node lastIn(ScoreRange r) {
    if (r.empty() || tail == null || !r.gteMin(tail.score) || !r.lteMax(head.next[0].score)) return null;
    Node x = head;
    for (int i = level - 1; i >= 0; i--) {
      while (x.next[i] != null && r.lteMax(x.next[i].score)) x = x.next[i];
    }
    return x != head && r.gteMin(x.score) ? x : null;
  }

  // ---------------------------------------------------------------- lex ranges

  /** A member interval; a null bound with {@code inf} set is '-' (min) or '+' (max). */
  public record LexRange(byte[] min, boolean minex, boolean minInf, boolean minPlus, byte[] max, boolean maxex,
      boolean maxInf, boolean maxMinus) {
    public boolean gteMin(Bytes v) {
      if (minInf) return true;
      if (minPlus) return false;
      int c = Arrays.compareUnsigned(v.array(), min);
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

    public boolean lteMax(Bytes v) {
      if (maxInf) return true;
      if (maxMinus) return false;
      int c = Arrays.compareUnsigned(v.array(), max);
      return maxex ? c < 0 : c <= 0;
    }
  }

  /*
   * Lex ranges assume equal scores. For other sets the answer depends on the walk, so a listpack-encoded set is
   * scanned linearly from the end as Redis scans a listpack.
   */
  public Node firstIn(LexRange r) {
    if (r.empty() || tail == null || !r.gteMin(tail.member) || !r.lteMax(head.next[0].member)) return null;
    if (!skiplist) {
      for (Node x = head.next[0]; x != null; x = x.next[0]) {
        if (r.gteMin(x.member)) return r.lteMax(x.member) ? x : null;
      }
      return null;
    }
    Node x = head;
    for (int i = level - 1; i >= 0; i--) {
      while (x.next[i] != null && !r.gteMin(x.next[i].member)) x = x.next[i];
    }
    x = x.next[0];
    return x != null && r.lteMax(x.member) ? x : null;
  }

  public Node lastIn(LexRange r) {
    if (r.empty() || tail == null || !r.gteMin(tail.member) || !r.lteMax(head.next[0].member)) return null;
    if (!skiplist) {
      for (Node x = tail; x != null; x = x.prev) {
        if (r.lteMax(x.member)) return r.gteMin(x.member) ? x : null;
      }
      return null;
    }
    Node x = head;
    for (int i = level - 1; i >= 0; i--) {
      while (x.next[i] != null && r.lteMax(x.next[i].member)) x = x.next[i];
    }
    return x != head && r.gteMin(x.member) ? x : null;
  }

  /** A uniformly random element. */
  public Node random() {
    return byRank(ThreadLocalRandom.current().nextInt(length));
  }
}
