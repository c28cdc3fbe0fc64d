/**
 * The master side: {@link dev.vireo.replication.master.MasterSide} serves replicas (REPLCONF, PSYNC, SYNC),
 * keeps the {@link dev.vireo.replication.master.Backlog}, streams every propagated write (with SELECTs and PINGs)
 * to each {@link dev.vireo.replication.master.ServedReplica}, and answers WAIT. Runs on the data loop; only the
 * encoding of a full resynchronization's snapshot runs on a worker thread, writing to the replicas' sockets
 * (diskless) or to a temporary file in {@code dir} that is then sent (disk-based). Each step is published at
 * {@link dev.vireo.bus.Addresses#REPLICATION_REPLICAS} and traced as a span in the replica's trace.
 */
package dev.vireo.replication.master;
