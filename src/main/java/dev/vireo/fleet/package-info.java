/**
 * The fleet: one live view of a replication topology. {@link dev.vireo.fleet.FleetVerticle} runs on its own event
 * loop and learns the node only from the event bus (its INFO, its replication events), like the status page; with
 * {@code fleet yes} it joins the other nodes over a second, clustered Vert.x instance ({@code FleetCluster},
 * Hazelcast with a TCP member list), so the node's own Vert.x and its data loop never wait on the cluster. The view
 * ({@code FleetView}) is served by the HTTP endpoint at {@code /api/fleet} and drawn at {@code /fleet}.
 */
package dev.vireo.fleet;
