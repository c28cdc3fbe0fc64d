package dev.vireo.server;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * What the data loop asks of the replica side (the link to this node's master): whether this node follows a
 * master, whether that link is up, and whether a full resynchronization is loading. Implemented by the replica
 * side; a node that never follows a master uses {@link #NONE}. Data loop only.
 */
public interface ReplicaRole {
  /** Called on the data loop when the node starts, before the port opens; completes when the side is ready. */
  default Future<?> start(Vertx vertx, Context dataLoop) {
    return Future.succeededFuture();
  }

  /** True while REPLICAOF names a master. */
  boolean isReplica();

  /** True while the link to the master is connected and streaming. */
  boolean linkUp();

  /** True while a full resynchronization replaces the dataset in place ({@code loading:1}). */
  boolean loading();

  /** True while a full resynchronization loads beside the served dataset ({@code async_loading:1}). */
  boolean asyncLoading();

  /** The database the master's stream last selected, as an RDB records it ({@code repl-stream-db}). */
  int streamDb();

  /** The stream database an RDB file recorded, for a partial resynchronization after a restart. */
  void restoreStreamDb(int db);

  /** Sends {@code REPLCONF ACK} now (a master asked with {@code GETACK} through a sub-replica's REPLCONF). */
  void ackNow();

  /** Drops the link to the master (the node is closing). */
  void stop();

  /** A node that follows no master. */
  ReplicaRole NONE = new ReplicaRole() {
    @Override
    public boolean isReplica() {
      return false;
    }

    @Override
    public boolean linkUp() {
      return false;
    }

    @Override
    public boolean loading() {
      return false;
    }

    @Override
    public boolean asyncLoading() {
      return false;
    }

    @Override
    public int streamDb() {
      return 0;
    }

    @Override
    public void restoreStreamDb(int db) {}

    @Override
    public void ackNow() {}

    @Override
    public void stop() {}
  };
}
