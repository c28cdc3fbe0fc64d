/**
 * The master side: {@link dev.vireo.replication.master.MasterSide} serves replicas (REPLCONF, PSYNC, SYNC),
 * keeps the {@link dev.vireo.replication.master.Backlog}, streams every propagated write (with SELECTs and PINGs)
 * to each {@link dev.vireo.replication.master.ServedReplica}, and answers WAIT. Runs on the data loop, but for two
 * parts: the encoding of a full resynchronization's snapshot runs on a worker thread, writing to the replicas'
 * sockets (diskless) or to a temporary file in {@code dir} that is then sent (disk-based); and the fan-out of the
 * stream to online replicas runs on the {@code PropagationVerticle}'s own event loop, one message per data-loop
 * turn. Each step is published at
 * {@link dev.vireo.bus.Addresses#REPLICATION_REPLICAS} and traced as a span in the replica's trace.
 */
package dev.vireo.replication.master;
