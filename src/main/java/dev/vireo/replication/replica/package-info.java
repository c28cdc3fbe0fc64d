/**
 * The replica side: {@link dev.vireo.replication.replica.ReplicaLink} follows the master named by REPLICAOF
 * through Redis's handshake states ({@link dev.vireo.replication.ReplState}), receives a full
 * resynchronization's RDB to a temporary file and loads it, then applies the master's command stream as the
 * master client. Runs on the data loop; only the RDB parse of a full resynchronization runs on a worker thread.
 * State changes are published at {@link dev.vireo.bus.Addresses#REPLICATION_STATE}.
 */
package dev.vireo.replication.replica;
