package dev.vireo.persistence.rdb;

import dev.vireo.persistence.rdb.RdbValue.StreamId;
import java.util.List;

/**
 * The layout of one stream node's listpack, as Redis keeps it, checked entry by entry:
 *
 * <pre>
 * master entry: count | deleted | master-field-count | master-field* | 0
 * each entry:   flags | ms-delta | seq-delta | [field-count | (field value)*]  or, with SAMEFIELDS, value* | lp-count
 * </pre>
 *
 * {@code count} is the node's live entries, {@code deleted} its entries flagged DELETED (kept until the node
 * empties). Flags: 1 = DELETED, 2 = SAMEFIELDS (the entry's fields are exactly the master fields, so only values
 * are stored). An entry's ID is the node's master ID plus the two deltas (signed 64-bit integers). {@code lp-count}
 * is the number of the entry's elements before it, so that Redis can walk entries backwards: {@code values + 3}
 * for a SAMEFIELDS entry, {@code 2 * fields + 4} otherwise. The master entry counts are kept up to date by every
 * XADD and XDEL; a node whose live count drops to 0 is removed.
 */
public final class StreamListpack {
  /** The entry is deleted (kept as a tombstone until its node empties). */
  public static final int FLAG_DELETED = 1;
  /** The entry has exactly the master fields: only its values are stored. */
  public static final int FLAG_SAMEFIELDS = 2;

  private StreamListpack() {}

  /**
   * What a node's listpack says of itself: live and deleted entry counts, its first live entry's ID (null when all
   * are deleted) and its last entry's ID, deleted or not.
   */
  public record Summary(long count, long deleted, StreamId firstLive, StreamId last) {}

  /**
   * Decodes and checks a node's listpack against the layout above: the listpack itself (header length, end byte,
   * every entry), the master entry, each entry's field counts and {@code lp-count}, and that the entries found
   * match the master counts, and that entry IDs ascend from the master ID (Redis appends in ID order; its own
   * check does not look at IDs, but no stream it writes breaks the order).
   */
  public static Summary check(StreamId master, byte[] listpack) throws RdbException {
    List<byte[]> e = Listpack.decode(listpack);
    if (e.isEmpty()) {
      throw new RdbException("empty listpack inside stream");
    }
    int[] pos = {0};
    long count = integer(e, pos, "master entry count");
    long deleted = integer(e, pos, "master deleted count");
    long masterFields = integer(e, pos, "master field count");
    if (count < 0 || deleted < 0 || masterFields < 0 || masterFields > e.size()) {
      throw new RdbException("invalid stream master entry counts");
    }
    pos[0] += (int) masterFields;
    if (integer(e, pos, "master entry terminator") != 0) {
      throw new RdbException("stream master entry not terminated by 0");
    }
    long live = 0;
    long dead = 0;
    StreamId first = null;
    StreamId previous = null;
    while (pos[0] < e.size()) {
      int start = pos[0];
      long flags = integer(e, pos, "entry flags");
      long msDelta = integer(e, pos, "entry ms delta");
      long seqDelta = integer(e, pos, "entry seq delta");
      long values;
      if ((flags & FLAG_SAMEFIELDS) != 0) {
        values = masterFields;
      } else {
        long fields = integer(e, pos, "entry field count");
        if (fields < 0 || fields > e.size()) {
          throw new RdbException("invalid stream entry field count " + fields);
        }
        values = fields * 2;
      }
      if (values > e.size() - pos[0]) {
        throw new RdbException("stream entry overruns its listpack");
      }
      pos[0] += (int) values;
      long lpCount = integer(e, pos, "entry lp-count");
      if (lpCount != pos[0] - start - 1) {
        throw new RdbException("stream entry lp-count " + lpCount + " does not match its " + (pos[0] - start - 1)
            + " elements");
      }
      StreamId id = new StreamId(master.ms() + msDelta, master.seq() + seqDelta);
      boolean inOrder = previous == null ? ValueCodec.ID_ORDER.compare(id, master) >= 0
          : ValueCodec.ID_ORDER.compare(id, previous) > 0;
      if (!inOrder) {
        throw new RdbException("stream entry " + ValueCodec.idText(id) + " out of order in the node of "
            + ValueCodec.idText(master));
      }
      previous = id;
      if ((flags & FLAG_DELETED) != 0) {
        dead++;
      } else {
        live++;
        if (first == null) {
          first = id;
        }
      }
    }
    if (live != count || dead != deleted) {
      throw new RdbException("stream node counts " + count + " live and " + deleted + " deleted entries but holds "
          + live + " and " + dead);
    }
    return new Summary(count, deleted, first, previous);
  }

  private static long integer(List<byte[]> e, int[] pos, String what) throws RdbException {
    if (pos[0] >= e.size()) {
      throw new RdbException("stream listpack ends before the " + what);
    }
    byte[] b = e.get(pos[0]++);
    if (!Ints.isCanonicalLong(b)) {
      throw new RdbException("stream listpack " + what + " is not an integer");
    }
    return Ints.parse(b);
  }
}
