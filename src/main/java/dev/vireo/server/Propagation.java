package dev.vireo.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * Where the dispatcher hands the writes replicas must repeat: the master side's stream (backlog and served
 * replicas). The dispatcher decides what propagates (rewrites, MULTI/EXEC wrapping, expiry DELs); this side only
 * encodes and delivers, in order. A node with no replica machinery uses {@link #NONE}. Data loop only.
 */
public interface Propagation {
  /** Called on the data loop when the node starts, before the port opens; completes when the side is ready. */
  default Future<?> start(Vertx vertx) {
    return Future.succeededFuture();
  }

  /** True once a backlog exists: before that no replica ever connected, and writes are not recorded. */
  boolean feeding();

  /**
   * A master starting from its RDB file: a backlog from the current offset at once, without a new id, so that
   * the replicas of the history the file recorded continue partially, and the DELs of keys that expired while the
   * node was down have somewhere to go (Redis 7.0's {@code loadDataFromDisk}).
   */
  default void createBacklog() {}

  /** Drops the backlog and what waits to be sent, ids and offset unchanged (a file that recorded no history). */
  default void freeBacklog() {}

  /** Appends one command to the stream, in database {@code db} (-1: whatever database is selected). */
  void propagate(int db, byte[][] argv);

  /** Hands the stream produced since the last flush to the replicas (once per batch of commands). */
  void flushStream();

  /** {@code min-replicas-to-write}: false when writes must be refused with {@code -NOREPLICAS}. */
  boolean enoughGoodReplicas();

  /** A connection closed: forget it if it was a replica or waited in WAIT. */
  void clientClosed(Client c);

  /** The backlog's part of the replication buffer, in bytes (used_memory, mem_replication_backlog). */
  default long backlogBytes() {
    return 0;
  }

  /** What the replicas' output holds beyond the backlog (mem_clients_slaves; not counted for eviction). */
  default long replicaBufferBytes() {
    return 0;
  }

  /**
   * Asks every replica for an ACK now ({@code REPLCONF GETACK *}, sent with this turn's stream), as a SHUTDOWN
   * waiting for its replicas does.
   */
  default void requestAck() {}

  /**
   * One replica as a SHUTDOWN sees it: its name, how many bytes its acknowledged offset is behind the master's,
   * the seconds since its last ACK (0 unless online) and its state (online, wait_bgsave, send_bulk).
   */
  record ReplicaLag(String name, long behind, long lagSeconds, String state) {}

  /** Every served replica, whatever its state, with how far behind {@code masterOffset} it acknowledged. */
  default List<ReplicaLag> replicaLags(long masterOffset) {
    return List.of();
  }

  /** No replicas, no stream. */
  Propagation NONE = new Propagation() {
    @Override
    public boolean feeding() {
      return false;
    }

    @Override
    public void propagate(int db, byte[][] argv) {}

    @Override
    public void flushStream() {}

    @Override
    public boolean enoughGoodReplicas() {
      return true;
    }

    @Override
    public void clientClosed(Client c) {}
  };
}
