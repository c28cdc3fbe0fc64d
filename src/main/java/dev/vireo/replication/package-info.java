/**
 * Replication: the ids and offsets a dataset history is known by ({@link dev.vireo.replication.ReplicationIds}),
 * and in {@code replica/} the link by which this node follows a master. Everything here runs on the data loop,
 * except RDB parsing during a full resynchronization, which runs on a worker thread and hands keys back to the
 * data loop in batches.
 */
package dev.vireo.replication;
