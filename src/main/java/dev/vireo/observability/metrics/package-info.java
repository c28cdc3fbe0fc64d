/**
 * Prometheus metrics at {@code /metrics}, through Micrometer's Prometheus registry: one registry per Vert.x
 * instance, shared with Vert.x's own {@code vertx_*} meters.
 *
 * <p>Owns: the meters derived from the {@code INFO} text under redis_exporter's names and labels
 * ({@link dev.vireo.observability.metrics.RedisInfoMetrics}), Vireo's replication meters fed by the
 * {@code vireo.replication.state} and {@code vireo.replication.replicas} events
 * ({@link dev.vireo.observability.metrics.ReplicationMeters}), the coordinated failover's meters fed by the
 * {@code vireo.replication.failover} events ({@link dev.vireo.observability.metrics.FailoverMeters}), and the scrape
 * handler.
 *
 * <p>Threads: nothing here runs on the data loop or touches the keyspace. A scrape runs on the HTTP verticle's
 * event loop and asks the data loop for {@code INFO everything} over the event bus
 * ({@code vireo.node.info}); the replication listeners run on an event loop of their own. Meters are read at
 * scrape time from immutable snapshots, so the two never share mutable state.
 */
package dev.vireo.observability.metrics;
