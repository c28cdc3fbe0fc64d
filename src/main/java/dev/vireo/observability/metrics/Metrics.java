package dev.vireo.observability.metrics;

import dev.vireo.bus.Addresses;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's metrics: one Prometheus registry per Vert.x instance, holding Vert.x's own meters, the INFO-derived
 * series and the replication meters, and the {@code /metrics} handler that serves it.
 *
 * <p>{@link #vertx()} builds the Vert.x instance of a node with its metrics on; {@link #endpoint(Vertx)} is the
 * route handler. A Vert.x built elsewhere gets a registry on first use, without {@code vertx_*} meters.
 */
public final class Metrics implements Shareable {
  /** How long a scrape waits for the data loop's INFO before reporting {@code redis_up 0}. */
  static final long INFO_TIMEOUT_MS = 2000;
  /** The Prometheus text exposition format, understood by every Prometheus version. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final String LOCAL_MAP = "vireo.metrics";
  private static final String KEY = "registry";
  /** Vert.x Micrometer keeps backends by name, process-wide: each instance needs its own name. */
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  /** Made on first use (the first scrape or replication event), not while the node is starting. */
  private InfoMeters info;
  private ReplicationMeters replication;
  private FailoverMeters failover;

  private Metrics(Vertx vertx, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.registry = registry;
  }

  private synchronized InfoMeters info() {
    if (info == null) info = new InfoMeters(registry);
    return info;
  }

  /** Every replication meter is registered with it, so the first scrape shows them all, at zero. */
  private synchronized ReplicationMeters replication() {
    if (replication == null) replication = new ReplicationMeters(registry);
    return replication;
  }

  private synchronized FailoverMeters failover() {
    if (failover == null) failover = new FailoverMeters(registry);
    return failover;
  }

  /**
   * A Vert.x instance whose own metrics ({@code vertx_*}) go to a new Prometheus registry, with the replication
   * listeners already in place, so that no event of the node's first handshake is missed.
   */
  public static Vertx vertx() {
    return vertx(new VertxOptions());
  }

  /** {@link #vertx()} with other options of the node's (its transport); their metrics options are replaced. */
  public static Vertx vertx(VertxOptions base) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MicrometerMetricsOptions options = new MicrometerMetricsOptions().setEnabled(true)
        .setRegistryName("vireo-" + SEQUENCE.incrementAndGet());
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions(base).setMetricsOptions(options))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    of(vertx, registry);
    return vertx;
  }

  /** The {@code /metrics} handler: Prometheus text, never behind a password (it shows none). */
  public static Handler<RoutingContext> endpoint(Vertx vertx) {
    return of(vertx, null)::handle;
  }

  /** The registry that {@code /metrics} serves for this Vert.x instance. */
  public static PrometheusMeterRegistry registry(Vertx vertx) {
    Metrics m = of(vertx, null);
    m.info();
    m.replication();
    m.failover();
    return m.registry;
  }

  /**
   * This instance's metrics, created on first use with the given registry (a new one when null). The listeners
   * are registered by the creating caller: from {@link #vertx()} that is no Vert.x thread, so they get an event
   * loop of their own.
   */
  private static Metrics of(Vertx vertx, PrometheusMeterRegistry registry) {
    LocalMap<String, Metrics> map = vertx.sharedData().getLocalMap(LOCAL_MAP);
    Metrics existing = map.get(KEY);
    if (existing != null) return existing;
    synchronized (Metrics.class) {
      existing = map.get(KEY);
      if (existing != null) return existing;
      Metrics m = new Metrics(vertx, registry != null ? registry
          : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
      vertx.eventBus().<Object>consumer(Addresses.REPLICATION_STATE, msg -> {
        if (msg.body() instanceof JsonObject ev) m.replication().onState(ev);
      });
      vertx.eventBus().<Object>consumer(Addresses.REPLICATION_REPLICAS, msg -> {
        if (msg.body() instanceof JsonObject ev) m.replication().onReplica(ev);
      });
      vertx.eventBus().<Object>consumer(Addresses.REPLICATION_FAILOVER, msg -> {
        if (msg.body() instanceof JsonObject ev) m.failover().onEvent(ev);
      });
      map.put(KEY, m);
      return m;
    }
  }

  /** Asks the data loop for INFO, turns it into series, and answers with the whole registry. */
  private void handle(RoutingContext ctx) {
    vertx.eventBus().<String>request(Addresses.INFO, null, new DeliveryOptions().setSendTimeout(INFO_TIMEOUT_MS))
        .onComplete(ar -> {
          replication();
          failover();
          if (ar.succeeded()) info().update(ar.result().body());
          else info().down();
          ctx.response().putHeader("content-type", CONTENT_TYPE).end(registry.scrape());
        });
  }
}
