/**
 * OpenTelemetry: the SDK configured from the standard {@code OTEL_*} environment variables, and the names of
 * every span and attribute the node emits, the span of each replication step ({@link
 * dev.vireo.observability.SpanNames#step}) included. Replication steps are traced; client commands are not.
 */
package dev.vireo.observability;
