package dev.vireo.replication;

/**
 * This node's replication history, as Redis keeps it: {@code master_replid}, {@code master_replid2}, {@code
 * master_repl_offset} and {@code second_repl_offset}. It is the one writer of those values: every change goes
 * through a method named for the event that causes it, so that the rules of PSYNC2 (which history a replica may
 * continue, from which byte) are written down once. Offsets are bytes of the replication stream, counted the same
 * way on a master (bytes propagated) and on a replica (bytes applied). Data loop only.
 */
public final class ReplicationState {
  private String replId = ReplicationIds.random();
  private String replId2 = ReplicationIds.NO_ID;
  private long offset;
  private long secondOffset = -1;

  /** The id this node's dataset history is known by ({@code master_replid}). */
  public String replId() {
    return replId;
  }

  /** The id of the history this one continued from ({@code master_replid2}), or {@link ReplicationIds#NO_ID}. */
  public String replId2() {
    return replId2;
  }

  /** Bytes of the replication stream produced or applied so far ({@code master_repl_offset}). */
  public long offset() {
    return offset;
  }

  /** The first offset valid for {@link #replId2()} ({@code second_repl_offset}), or -1. */
  public long secondOffset() {
    return secondOffset;
  }

  /** True when a replica asking for {@code id} at {@code offset} continues a history this node knows. */
  public boolean continues(String id, long offset) {
    return id.equals(replId) || (id.equals(replId2) && offset <= secondOffset);
  }

  /** {@code n} more bytes of the stream were propagated (master) or applied (replica). */
  public void advance(long n) {
    offset += n;
  }

  /**
   * A new history that continues this one (REPLICAOF NO ONE, or a {@code +CONTINUE} naming another id): the
   * current id becomes the second id, valid up to the current offset, and {@code newId} becomes the id.
   */
  public void continueAs(String newId) {
    replId2 = replId;
    secondOffset = offset + 1;
    replId = newId;
  }

  /** Promotion to master: the history goes on under a fresh id; replicas of the old one continue partially. */
  public void promote() {
    continueAs(ReplicationIds.random());
  }

  /** A history nobody else continues (DEBUG CHANGE-REPL-ID, a master's first backlog): a fresh id, no second. */
  public void restart() {
    replId = ReplicationIds.random();
    replId2 = ReplicationIds.NO_ID;
    secondOffset = -1;
  }

  /**
   * A master restarted from an RDB file that recorded history {@code fileId} up to {@code fileOffset}, as Redis 7.0
   * comes back: it keeps the fresh id it started with, the file's history becomes the second one (valid up to the
   * byte after {@code fileOffset}), and the offset goes on from the file's. The replicas of the old history ask
   * for {@code fileId} at {@code fileOffset + 1} and continue with {@code +CONTINUE <new id>}.
   */
  public void restartFrom(String fileId, long fileOffset) {
    replId2 = fileId;
    secondOffset = fileOffset + 1;
    offset = fileOffset;
  }

  /**
   * Another history replaces this one (a full resynchronization, or the {@code repl-id}/{@code repl-offset} an RDB
   * file recorded on a node that starts as a replica): this node is now {@code id} at {@code newOffset}, with no
   * second id.
   */
  public void adopt(String id, long newOffset) {
    replId = id;
    offset = newOffset;
    replId2 = ReplicationIds.NO_ID;
    secondOffset = -1;
  }
}
