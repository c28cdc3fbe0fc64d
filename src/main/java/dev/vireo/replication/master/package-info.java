/**
 * The master side: {@link dev.vireo.replication.master.MasterSide} serves replicas (REPLCONF, PSYNC, SYNC),
 * keeps the shared replication buffer ({@link dev.vireo.replication.master.Backlog}: the stream held once, the
 * backlog and each replica's pending output being references into it, as in Redis 7.0), streams every propagated
 * write (with SELECTs and PINGs) to each {@link dev.vireo.replication.master.ServedReplica}, and answers WAIT. Runs
 * on the data loop, but for two parts: the encoding of a full resynchronization's snapshot runs on a worker thread,
 * writing to the replicas' sockets (diskless) or to a temporary file in {@code dir} that is then sent
 * (disk-based); and the fan-out of the stream to online replicas runs on the {@code PropagationVerticle}'s own
 * event loop, told once per data-loop turn that the stream moved, writing slices of the shared blocks while each
 * replica's socket has room. The shared buffer is the one structure both touch; its monitor guards it. Each step
 * is published at
 * {@link dev.vireo.bus.Addresses#REPLICATION_REPLICAS} and traced as a span in the replica's trace.
 * {@link dev.vireo.replication.master.Failover} runs {@code FAILOVER} (and answers {@code PSYNC ... FAILOVER} as its
 * target) on the data loop; it reaches the replica side only through the {@link
 * dev.vireo.replication.master.Failover.RoleSwitch} that side installs, and publishes its phases at {@link
 * dev.vireo.bus.Addresses#REPLICATION_FAILOVER}.
 */
package dev.vireo.replication.master;
