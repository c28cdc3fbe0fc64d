/**
 * The replica side, on two event loops. {@link dev.vireo.replication.replica.ReplicaLinkVerticle}, on its own,
 * owns the connection to the master named by REPLICAOF: Redis's handshake states ({@link
 * dev.vireo.replication.ReplState}), timeouts and retries, receipt of a full resynchronization's RDB (to a
 * temporary file, or into the parser's bounded queue), {@code REPLCONF ACK}, the spans, and the state changes
 * published at {@link dev.vireo.bus.Addresses#REPLICATION_STATE}. {@link dev.vireo.replication.replica.ReplicaLink},
 * on the data loop, loads the RDB into the keyspace (parsed on a worker thread, inserted in batches) and applies the
 * master's command stream as the master client; it is the one place REPLICAOF changes the {@code replicaof}
 * directive, so CONFIG REWRITE records the master followed. The two exchange typed messages by reference over the
 * event bus ({@code LinkMessages}).
 */
package dev.vireo.replication.replica;
