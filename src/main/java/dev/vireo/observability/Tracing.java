package dev.vireo.observability;

import dev.vireo.config.ServerConfig;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import java.net.InetAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The process's OpenTelemetry instance. Configured from the standard {@code OTEL_*} variables and
 * {@code otel.*} properties (autoconfigure), with Vireo's defaults so that a local Jaeger or collector just
 * works: service name {@code vireo}, traces over OTLP http/protobuf to {@code http://localhost:4318}, no metrics
 * or logs export. The resource names the node: {@code service.instance.id} (host:port), {@code vireo.port} and
 * {@code vireo.role} (its role at start); {@code OTEL_RESOURCE_ATTRIBUTES} overrides any of them.
 * {@code OTEL_SDK_DISABLED=true} turns tracing off. When no collector listens, the node works as before and
 * the export failure is logged once, not once per span.
 */
public final class Tracing {
  private static volatile OpenTelemetry openTelemetry;
  /** The node's port and role at start, for a {@link #tracer()} that comes before the background set-up. */
  private static volatile int nodePort;
  private static volatile String nodeRole = "master";

  private Tracing() {}

  /** Sets up the SDK once for this process from the node's configuration (its port and role at start). */
  public static OpenTelemetry init(ServerConfig config) {
    node(config);
    return init(nodePort, nodeRole);
  }

  /** How long the spans still queued at exit may take to leave; a node never waits longer to stop. */
  private static final long EXIT_FLUSH_SECONDS = 2;

  /** Records the node's port and role at start, for the resource of an SDK set up later. */
  public static void node(ServerConfig config) {
    String replicaOf = config.get("replicaof");
    nodeRole = replicaOf == null || replicaOf.isBlank() ? "master" : "slave";
    nodePort = config.getInt("port");
  }

  /**
   * Sets up the SDK on a thread of its own, once the node answers clients: autoconfigure and the OTLP exporter
   * load about a thousand classes, a good part of a second. A span wanted before that ends waits for it (the
   * set-up is synchronized) or, when it has not begun yet, does it itself with the same resource. Settings the
   * SDK refuses turn tracing off with one line on stderr (naming no value: headers may carry credentials), rather
   * than failing each span later on the data loop.
   */
  public static void initInBackground() {
    Thread t = new Thread(() -> {
      try {
        init(nodePort, nodeRole);
      } catch (RuntimeException e) {
        System.err.println("OpenTelemetry could not be set up from the OTEL_* settings ("
            + e.getClass().getSimpleName() + "); traces are off");
        synchronized (Tracing.class) {
          if (openTelemetry == null) openTelemetry = OpenTelemetry.noop();
        }
      }
    }, "vireo-otel-init");
    t.setDaemon(true);
    t.start();
  }

  /** Sets up the SDK once for this process, tagging its resource with the node's port and role. */
  public static synchronized OpenTelemetry init(int port, String role) {
    if (openTelemetry != null) return openTelemetry;
    logExportFailuresOnce();
    openTelemetry = AutoConfiguredOpenTelemetrySdk.builder()
        // defaults only: OTEL_* variables and otel.* properties take precedence over these
        .addPropertiesSupplier(() -> Map.of(
            "otel.service.name", "vireo",
            "otel.traces.exporter", "otlp",
            // the Java SDK alone defaults to gRPC on 4317; the OTLP spec's default is http/protobuf on 4318
            "otel.exporter.otlp.protocol", "http/protobuf",
            "otel.metrics.exporter", "none",
            "otel.logs.exporter", "none",
            // the node names its own service.instance.id (host:port) below; the SDK's random one would only be
            // replaced, with a warning at every start
            "otel.java.disabled.resource.providers",
            "io.opentelemetry.sdk.autoconfigure.ServiceInstanceIdResourceProvider"))
        // ours over the SDK's defaults (it makes up a random service.instance.id), but not over what
        // OTEL_RESOURCE_ATTRIBUTES says
        .addResourceCustomizer((resource, config) -> resource.merge(
            nodeResource(port, role, config.getMap("otel.resource.attributes").keySet())))
        // the SDK's own hook waits for the exporter, which retries for seconds when no collector listens
        .disableShutdownHook()
        .build()
        .getOpenTelemetrySdk();
    OpenTelemetrySdk sdk = (OpenTelemetrySdk) openTelemetry;
    Thread flush = new Thread(() -> sdk.shutdown().join(EXIT_FLUSH_SECONDS, TimeUnit.SECONDS), "vireo-otel-exit");
    Runtime.getRuntime().addShutdownHook(flush);
    return openTelemetry;
  }

  /** The attributes that tell the nodes of one service apart in a trace view, less those the user set. */
  static Resource nodeResource(int port, String role, Set<String> userSet) {
    AttributesBuilder b = Attributes.builder();
    if (!userSet.contains(SpanNames.RESOURCE_INSTANCE_ID)) {
      b.put(SpanNames.RESOURCE_INSTANCE_ID, hostName() + ":" + port);
    }
    if (!userSet.contains(SpanNames.ATTR_PORT)) b.put(SpanNames.ATTR_PORT, (long) port);
    if (!userSet.contains(SpanNames.ATTR_ROLE)) b.put(SpanNames.ATTR_ROLE, role);
    return Resource.create(b.build());
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "localhost"; // an unresolvable host name must not keep the node from starting
    }
  }

  /** Uses the given instance instead (tests install an in-memory SDK). */
  public static synchronized void use(OpenTelemetry instance) {
    openTelemetry = instance;
  }

  public static Tracer tracer() {
    OpenTelemetry o = openTelemetry;
    if (o == null) o = init(nodePort, nodeRole);
    return o.getTracer("dev.vireo");
  }

  /** The exporter logs every failed export; one line says it all while no collector listens. */
  private static void logExportFailuresOnce() {
    Filter once = new Filter() {
      private boolean logged;

      @Override
      public synchronized boolean isLoggable(LogRecord r) {
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
