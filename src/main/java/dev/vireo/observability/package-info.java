/**
 * OpenTelemetry: the SDK configured from the standard {@code OTEL_*} environment variables, and the names of
 * every span and attribute the node emits. Replication steps are traced; client commands are not.
 */
package dev.vireo.observability;
