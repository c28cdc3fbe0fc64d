package dev.vireo.replication;

import java.security.SecureRandom;

/**
 * The replication offsets and second id of this node's dataset history, as Redis keeps them. The current id
 * ({@code master_replid}) is {@code Server.replId}, which snapshots also record; {@code master_repl_offset} is
 * {@link #offset}; {@code master_replid2} and {@code second_repl_offset} name the history this one continued
 * from (after a promotion or a {@code +CONTINUE} with a new id), so that replicas of the old history can still
 * resynchronize partially. Offsets are bytes of the replication stream. Data loop only.
 */
public final class ReplicationIds {
  /** The id Redis shows when there is no second history. */
  public static final String NO_ID = "0000000000000000000000000000000000000000";

  public String replId2 = NO_ID;
  /** Bytes of the replication stream applied so far (master_repl_offset, slave_repl_offset). */
  public long offset;
  /** The first offset valid for {@link #replId2}, or -1. */
  public long secondOffset = -1;

  /** 40 random hex characters: a replication id, a run id, an {@code $EOF:} mark. */
  public static String random() {
    SecureRandom r = new SecureRandom();
    StringBuilder sb = new StringBuilder(40);
    for (int i = 0; i < 40; i++) sb.append(Character.forDigit(r.nextInt(16), 16));
    return sb.toString();
  }

  /** A valid id: 40 characters, as every Redis replid. */
  public static boolean isValid(String id) {
    return id != null && id.length() == 40;
  }

  /**
   * A new history continues the current one ({@code currentId}): that id becomes the second id, valid from the
   * next byte (REPLICAOF NO ONE, or a {@code +CONTINUE} naming a new id). The caller installs the new id.
   */
  public void shift(String currentId) {
    replId2 = currentId;
    secondOffset = offset + 1;
  }

  /** A full resynchronization: the master's history replaces ours; the caller installs the master's id. */
  public void adopt(long newOffset) {
    offset = newOffset;
    replId2 = NO_ID;
    secondOffset = -1;
  }
}
