/**
 * Replication: the ids and offsets a dataset history is known by ({@link dev.vireo.replication.ReplicationIds}),
 * the replica link's states with Redis's names ({@link dev.vireo.replication.ReplState}) and the one mapping from
 * state to the step a person watches ({@link dev.vireo.replication.ReplStep}), which the spans, the meters and the
 * status page all read; in {@code replica/} the link by which this node follows a master. This package imports
 * nothing above it, so that {@code observability} and {@code web} can read the mapping. Everything here runs on
 * the data loop, except RDB parsing during a full resynchronization, which runs on a worker thread and hands keys
 * back to the data loop in batches.
 */
package dev.vireo.replication;
