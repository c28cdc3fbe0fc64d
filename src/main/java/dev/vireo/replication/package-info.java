/**
 * Replication: the history a dataset is known by ({@link dev.vireo.replication.ReplicationState}: replid,
 * replid2, offsets, with one writer), how ids are made ({@link dev.vireo.replication.ReplicationIds}), the replica
 * link's states with Redis's names ({@link dev.vireo.replication.ReplState}) and the one mapping from state to the
 * step a person watches ({@link dev.vireo.replication.ReplStep}), which the spans, the meters and the status page
 * all read. It imports nothing else of the node, so every layer may use it. {@code master/} serves replicas;
 * {@code replica/} follows a master. The state is owned by the data loop; the enums are immutable.
 */
package dev.vireo.replication;
