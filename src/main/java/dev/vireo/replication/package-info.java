/**
 * Replication: the history a dataset is known by ({@link dev.vireo.replication.ReplicationState}: replid,
 * replid2, offsets, with one writer) and how ids are made ({@link dev.vireo.replication.ReplicationIds}). It
 * imports nothing else of the node, so every layer may use it. {@code master/} serves replicas; {@code replica/}
 * follows a master. The state is owned by the data loop.
 */
package dev.vireo.replication;
