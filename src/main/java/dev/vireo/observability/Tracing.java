package dev.vireo.observability;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import java.util.Map;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The process's OpenTelemetry instance. Configured from the standard {@code OTEL_*} variables and
 * {@code otel.*} properties (autoconfigure), with Vireo's defaults: service name {@code vireo}, traces over OTLP
 * to a local collector, no metrics or logs export. {@code OTEL_SDK_DISABLED=true} turns tracing off. When no
 * collector listens, the node works as before and the export failure is logged once, not once per span.
 */
public final class Tracing {
  private static volatile OpenTelemetry openTelemetry;

  private Tracing() {}

  /** Sets up the SDK once for this process, tagging its resource with the node's port. */
  public static synchronized OpenTelemetry init(int port) {
    if (openTelemetry != null) return openTelemetry;
    logExportFailuresOnce();
    openTelemetry = AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> Map.of(
            "otel.service.name", "vireo",
            "otel.traces.exporter", "otlp",
            "otel.metrics.exporter", "none",
            "otel.logs.exporter", "none"))
        .addResourceCustomizer((resource, config) -> resource.merge(Resource.create(Attributes.of(
            AttributeKey.longKey(SpanNames.ATTR_PORT), (long) port))))
        .build()
        .getOpenTelemetrySdk();
    return openTelemetry;
  }

  /** Uses the given instance instead (tests install an in-memory SDK). */
  public static synchronized void use(OpenTelemetry instance) {
    openTelemetry = instance;
  }

  public static Tracer tracer() {
    OpenTelemetry o = openTelemetry;
    if (o == null) o = init(0);
    return o.getTracer("dev.vireo");
  }

  /** The exporter logs every failed export; one line says it all while no collector listens. */
  private static void logExportFailuresOnce() {
    Filter once = new Filter() {
      private boolean logged;

      @Override
      public synchronized boolean isLoggable(java.util.logging.LogRecord r) {
        String name = r.getLoggerName();
        if (name == null || !name.startsWith("io.opentelemetry.exporter")
            || r.getLevel().intValue() < Level.WARNING.intValue()) {
          return true;
        }
        if (logged) return false;
        logged = true;
        return true;
      }
    };
    for (Handler h : Logger.getLogger("").getHandlers()) {
      Filter previous = h.getFilter();
      h.setFilter(previous == null ? once : r -> previous.isLoggable(r) && once.isLoggable(r));
    }
  }
}
