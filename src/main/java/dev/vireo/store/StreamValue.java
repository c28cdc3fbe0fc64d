package dev.vireo.store;

import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.resp.Errors;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * A stream: entries in {@link StreamNode}s (listpacks as Redis keeps them, ordered by master ID), the stream's
 * counters as Redis 7.0 keeps them (length, last generated ID, recorded first ID, largest deleted ID, entries ever
 * added), and its consumer groups. Small entries cost bytes in a node, not objects: a node holds up to
 * {@code stream-node-max-entries} entries within {@code stream-node-max-bytes}, and approximate trimming removes
 * whole nodes, exactly where Redis would.
 */
public final class StreamValue implements TypedValue {
  private final TreeMap<StreamId, StreamNode> nodes = new TreeMap<>();
  private long length;
  private StreamId lastId = StreamId.MIN;
  private StreamId firstId = StreamId.MIN;
  private StreamId maxDeletedId = StreamId.MIN;
  private long entriesAdded;
  private TreeMap<byte[], StreamGroup> groups;
  /** The bytes the nodes' listpacks use, kept as nodes grow, shrink and go (the memory model's counter). */
  private long nodeBytes;

  /** The stream stored in an entry, or WRONGTYPE. */
  public static StreamValue of(Entry e) {
    if (e.value instanceof StreamValue s) return s;
    throw new CommandError(Errors.WRONGTYPE);
  }

  @Override
  public String typeName() {
    return "stream";
  }

  @Override
  public String encoding() {
    return "stream";
  }

  @Override
  public StreamValue copy() {
    StreamValue s = new StreamValue();
    for (StreamNode n : nodes.values()) s.nodes.put(n.master, n.copy());
    s.length = length;
    s.lastId = lastId;
    s.firstId = firstId;
    s.maxDeletedId = maxDeletedId;
    s.entriesAdded = entriesAdded;
    s.nodeBytes = nodeBytes;
    if (groups != null) {
      s.groups = new TreeMap<>(Arrays::compareUnsigned);
      for (StreamGroup g : groups.values()) s.groups.put(g.name, g.copy());
    }
    return s;
  }

  /**
   * The nodes' listpacks, a radix tree node for each, and the consumer groups with their pending entries and
   * consumers (O(groups), which are few).
   */
  @Override
  public long memory() {
    long m = MemoryModel.OBJECT + MemoryModel.STREAM + nodeBytes + (long) nodes.size() * MemoryModel.RAX_NODE;
    Map.Entry<StreamId, StreamNode> tail = nodes.lastEntry();
    if (tail != null) m += Math.max(0, MemoryModel.STREAM_NODE_PREALLOC - tail.getValue().used);
    if (groups != null) {
      for (StreamGroup g : groups.values()) {
        m += MemoryModel.GROUP + (long) g.pending.size() * MemoryModel.PENDING
            + (long) g.consumers.size() * MemoryModel.CONSUMER;
      }
    }
    return m;
  }

  public long length() {
    return length;
  }

  public StreamId lastId() {
    return lastId;
  }

  public StreamId firstId() {
    return firstId;
  }

  public StreamId maxDeletedId() {
    return maxDeletedId;
  }

  public long entriesAdded() {
    return entriesAdded;
  }

  public int nodeCount() {
    return nodes.size();
  }

  public void lastId(StreamId id) {
    lastId = id;
  }

  public void maxDeletedId(StreamId id) {
    maxDeletedId = id;
  }

  public void entriesAdded(long n) {
    entriesAdded = n;
  }

  // ------------------------------------------------------------------------------------------------- writing

  /**
   * Appends an entry of {@code pairs} field/value pairs from {@code a[first..]} with an ID the caller has checked
   * is above {@link #lastId()}. A new node starts when the tail node has reached {@code maxBytes} (counting the
   * new entry's raw field and value lengths) or {@code maxEntries} entries, live and deleted; 0 means no limit.
   */
  public void append(StreamId id, Args a, int first, int pairs, long maxBytes, long maxEntries) {
    long raw = 0;
    for (int i = first; i < first + 2 * pairs; i++) raw += a.len(i);
    Map.Entry<StreamId, StreamNode> tail = nodes.lastEntry();
    StreamNode n = tail == null ? null : tail.getValue();
    if (n != null) {
      long max = maxBytes <= 0 || maxBytes > (1L << 30) ? (1L << 30) : maxBytes;
      if (n.used + raw >= max || (maxEntries > 0 && n.count + n.deleted >= maxEntries)) {
        n.shrink();
        n = null;
      }
    }
    if (n == null) {
      n = StreamNode.create(id, a, first, pairs);
      nodes.put(id, n);
      nodeBytes += n.used;
    } else {
      int before = n.used;
      n.appendEntry(id, a, first, pairs);
      nodeBytes += n.used - before;
    }
    length++;
    entriesAdded++;
    lastId = id;
    if (length == 1) firstId = id;
  }

  /** Deletes one entry; false when there is no live entry with that ID. Does not touch the stream counters. */
  private boolean deleteEntry(StreamId id) {
    Map.Entry<StreamId, StreamNode> e = nodes.floorEntry(id);
    if (e == null) return false;
    StreamNode n = e.getValue();
    for (int p : n.entryPositions()) {
      if ((n.flagsAt(p) & StreamNode.FLAG_DELETED) != 0) continue;
      int c = n.idAt(p).compareTo(id);
      if (c > 0) return false;
      if (c == 0) {
        if (n.count == 1) {
          nodes.remove(n.master);
          nodeBytes -= n.used;
        } else {
          int before = n.used;
          n.markDeleted(p);
          nodeBytes += n.used - before;
        }
        length--;
        return true;
      }
    }
    return false;
  }

  /** XDEL: deletes the entries given; returns how many existed. Keeps the first and largest-deleted IDs. */
  public int delete(StreamId[] ids) {
    int deleted = 0;
    boolean firstGone = false;
    for (StreamId id : ids) {
      if (!deleteEntry(id)) continue;
      if (id.equals(firstId)) firstGone = true;
      if (id.compareTo(maxDeletedId) > 0) maxDeletedId = id;
      deleted++;
    }
    if (deleted > 0) {
      if (length == 0) firstId = StreamId.MIN;
      else if (firstGone) firstId = firstLiveId();
    }
    return deleted;
  }

  /**
   * Trims to {@code maxlen} entries (when {@code minId} is null) or below {@code minId}, as Redis does: whole nodes
   * while they lie entirely beyond the threshold, then, unless {@code approx}, entries inside the next node are
   * marked deleted. {@code limit} caps the entries removed (0 = none). Returns the entries removed.
   */
  public long trim(long maxlen, StreamId minId, boolean approx, long limit) {
    long removed = 0;
    while (!nodes.isEmpty()) {
      if (minId == null && length <= maxlen) break;
      StreamNode n = nodes.firstEntry().getValue();
      if (limit > 0 && removed + n.count > limit) break;
      boolean whole = minId == null ? length - n.count >= maxlen : n.lastId().compareTo(minId) < 0;
      if (whole) {
        nodes.remove(n.master);
        nodeBytes -= n.used;
        length -= n.count;
        removed += n.count;
        continue;
      }
      if (approx) break;
      int marked = 0;
      for (int p : n.entryPositions()) {
        if (minId == null ? length <= maxlen : n.idAt(p).compareTo(minId) >= 0) break;
        int flags = n.flagsAt(p);
        if ((flags & StreamNode.FLAG_DELETED) == 0) {
          n.lp[p] = (byte) (flags | StreamNode.FLAG_DELETED);
          marked++;
          length--;
        }
      }
      if (marked > 0) {
        int before = n.used;
        n.setCounters(n.count - marked, n.deleted + marked);
        nodeBytes += n.used - before;
      }
      removed += marked;
      break;
    }
    if (removed > 0) firstId = length == 0 ? StreamId.MIN : firstLiveId();
    return removed;
  }

  // ------------------------------------------------------------------------------------------------- reading

  /** The first live entry's ID (the stream must not be empty). */
  public StreamId firstLiveId() {
    Cursor c = range(StreamId.MIN, StreamId.MAX, false);
    return c.next() ? c.id() : StreamId.MIN;
  }

  /** The last live entry's ID, or 0-0 when empty. */
  public StreamId lastLiveId() {
    Cursor c = range(StreamId.MIN, StreamId.MAX, true);
    return c.next() ? c.id() : StreamId.MIN;
  }

  /** The ID of the first entry, deleted or not; the largest ID when the stream has no nodes (as Redis answers). */
  public StreamId firstEntryIdWithTombstones() {
    Map.Entry<StreamId, StreamNode> e = nodes.firstEntry();
    return e == null ? StreamId.MAX : e.getValue().idAt(e.getValue().entriesAt);
  }

  /** True when a live entry has this ID. */
  public boolean contains(StreamId id) {
    Cursor c = range(id, id, false);
    return c.next();
  }

  /** A cursor over the live entries from {@code start} to {@code end} inclusive, backwards when {@code rev}. */
  public Cursor range(StreamId start, StreamId end, boolean rev) {
    return new Cursor(start, end, rev);
  }

  /** Walks live entries in a range; {@link #next()} moves to the next one. */
  public final class Cursor {
    private final StreamId start;
    private final StreamId end;
    private final boolean rev;
    private StreamNode node;
    private int[] positions;
    private int index;
    private StreamId id;
    private boolean done;

    private Cursor(StreamId start, StreamId end, boolean rev) {
      this.start = start;
      this.end = end;
      this.rev = rev;
      if (start.compareTo(end) > 0) {
        done = true;
        return;
      }
      Map.Entry<StreamId, StreamNode> e = nodes.floorEntry(rev ? end : start);
      if (e == null) e = rev ? null : nodes.ceilingEntry(start);
      if (e == null) {
        done = true;
        return;
      }
      enter(e.getValue());
    }

    private void enter(StreamNode n) {
      node = n;
      positions = n.entryPositions();
      index = rev ? positions.length : -1;
    }

    public boolean next() {
      while (!done) {
        index += rev ? -1 : 1;
        if (index < 0 || index >= positions.length) {
          Map.Entry<StreamId, StreamNode> e = rev ? nodes.lowerEntry(node.master) : nodes.higherEntry(node.master);
          if (e == null) {
            done = true;
            return false;
          }
          enter(e.getValue());
          continue;
        }
        int p = positions[index];
        StreamId cur = node.idAt(p);
        if (rev ? cur.compareTo(start) < 0 : cur.compareTo(end) > 0) {
          done = true;
          return false;
        }
        if ((node.flagsAt(p) & StreamNode.FLAG_DELETED) != 0) continue;
        if (rev ? cur.compareTo(end) > 0 : cur.compareTo(start) < 0) continue;
        id = cur;
        return true;
      }
      return false;
    }

    public StreamId id() {
      return id;
    }

    /** The listpack holding the current entry; positions from {@link #fields()} point into it. */
    public byte[] listpack() {
      return node.lp;
    }

    /** Field and value positions of the current entry, alternating. */
    public int[] fields() {
      return node.fieldPositions(positions[index]);
    }

    /** Deletes the current entry (XDEL-style bookkeeping is the caller's); the cursor then moves on safely. */
    public void deleteCurrent() {
      StreamId cur = id;
      done = false;
      deleteEntry(cur);
      // the node may be gone or changed: find the place again
      StreamId from = rev ? cur.previous() : cur.next();
      if (from == null) {
        done = true;
        return;
      }
      Cursor fresh = rev ? new Cursor(start, from, true) : new Cursor(from, end, false);
      this.node = fresh.node;
      this.positions = fresh.positions;
      this.index = fresh.index;
      this.done = fresh.done;
    }
  }

  // ------------------------------------------------------------------------------------------------- groups

  public StreamGroup group(byte[] name) {
    return groups == null ? null : groups.get(name);
  }

  public Iterable<StreamGroup> groups() {
    return groups == null ? List.of() : groups.values();
  }

  public int groupCount() {
    return groups == null ? 0 : groups.size();
  }

  /** Creates a group; null when one has that name. */
  public StreamGroup createGroup(byte[] name, StreamId last, long entriesRead) {
    if (groups == null) groups = new TreeMap<>(Arrays::compareUnsigned);
    if (groups.containsKey(name)) return null;
    StreamGroup g = new StreamGroup(name, last, entriesRead);
    groups.put(name, g);
    return g;
  }

  public boolean destroyGroup(byte[] name) {
    return groups != null && groups.remove(name) != null;
  }

  /**
   * Whether a deleted entry may lie in {@code [start, +inf)}: Redis's test for whether a group's read counter can
   * simply be incremented.
   */
  public boolean rangeHasTombstones(StreamId start) {
    if (length == 0 || maxDeletedId.isZero()) return false;
    if (firstId.compareTo(maxDeletedId) > 0) return false;
    return start.compareTo(maxDeletedId) <= 0;
  }

  /**
   * The logical read counter of an ID (its distance from the first entry ever added), or -1 when it cannot be
   * known, by Redis 7.0's rules.
   */
  public long estimateDistance(StreamId id) {
    if (entriesAdded == 0) return 0;
    if (length == 0 && id.compareTo(lastId) <= 0) return entriesAdded;
    int cmpLast = id.compareTo(lastId);
    if (cmpLast == 0) return entriesAdded;
    if (cmpLast > 0) return StreamGroup.UNKNOWN_READ;
    int cmpFirst = id.compareTo(firstId);
    if (maxDeletedId.isZero() || maxDeletedId.compareTo(firstId) < 0) {
      if (cmpFirst < 0) return entriesAdded - length;
      if (cmpFirst == 0) return entriesAdded - length + 1;
    }
    return StreamGroup.UNKNOWN_READ;
  }

  /** A group's lag (entries not yet delivered), or null when it cannot be known. */
  public Long lag(StreamGroup g) {
    if (entriesAdded == 0) return 0L;
    if (g.entriesRead != StreamGroup.UNKNOWN_READ && !rangeHasTombstones(g.lastId)) {
      return entriesAdded - g.entriesRead;
    }
    long read = estimateDistance(g.lastId);
    return read == StreamGroup.UNKNOWN_READ ? null : entriesAdded - read;
  }

  /**
   * How many nodes the radix tree of node keys has in Redis (XINFO's radix-tree-nodes): the root, every branching
   * point and each branch's first node, and a node per key. Keys are 16-byte big-endian IDs.
   */
  public long radixTreeNodes() {
    Set<String> at = new HashSet<>();
    at.add("");
    String prev = null;
    for (StreamId k : nodes.keySet()) {
      String key = String.format("%016x%016x", k.ms(), k.seq());
      at.add(key);
      if (prev != null) {
        int l = 0;
        while (l < 16 && prev.regionMatches(2 * l, key, 2 * l, 2)) l++;
        at.add(prev.substring(0, 2 * l));
        at.add(prev.substring(0, 2 * l + 2));
        at.add(key.substring(0, 2 * l + 2));
      }
      prev = key;
    }
    return at.size();
  }

  // ------------------------------------------------------------------------------------------------- RDB

  /** Each node's master ID and listpack (a copy), in order. */
  public void forEachNode(BiConsumer<StreamId, byte[]> visitor) {
    for (StreamNode n : nodes.values()) visitor.accept(n.master, n.listpack());
  }

  /** Adds a node read from an RDB file or DUMP payload; returns why it is refused, or null. */
  public String addLoadedNode(StreamId master, byte[] listpack) {
    Map.Entry<StreamId, StreamNode> last = nodes.lastEntry();
    if (last != null && master.compareTo(last.getKey()) <= 0) return "stream nodes out of order";
    String[] why = new String[1];
    StreamNode n = StreamNode.fromListpack(master, listpack, why);
    if (n == null) return why[0];
    if (last != null && n.idAt(n.entriesAt).compareTo(last.getValue().lastId()) <= 0) {
      return "stream node overlaps the previous one";
    }
    nodes.put(master, n);
    nodeBytes += n.used;
    length += n.count;
    return null;
  }

  /** After loading: the stream's counters as the file gave them (null first ID: find it). */
  public String loaded(long declaredLength, StreamId last, StreamId first, StreamId maxDeleted, long added) {
    if (declaredLength != length) return "stream length mismatch";
    lastId = last;
    if (!nodes.isEmpty() && lastLiveId().compareTo(last) > 0) return "stream last ID below its entries";
    firstId = first != null ? first : (length == 0 ? StreamId.MIN : firstLiveId());
    maxDeletedId = maxDeleted;
    entriesAdded = added >= 0 ? added : length;
    return null;
  }
}
