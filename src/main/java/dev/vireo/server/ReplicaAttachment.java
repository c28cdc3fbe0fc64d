package dev.vireo.server;

/**
 * What the master side keeps on a connection that declared itself a replica (REPLCONF) or became one (PSYNC,
 * SYNC). The server only needs to know that it is there (such a connection gets no replies and is listed with
 * {@code flags=S}) and what output it holds.
 */
public interface ReplicaAttachment {
  /** Bytes of output this replica holds (its share of the replication buffer): CLIENT LIST's {@code omem}. */
  long outputBytes();
}
