package dev.vireo.server;

/**
 * What the master side keeps on a connection that declared itself a replica (REPLCONF) or became one (PSYNC,
 * SYNC). The server only needs to know that it is there: such a connection gets no replies and is listed with
 * {@code flags=S}.
 */
public interface ReplicaAttachment {}
