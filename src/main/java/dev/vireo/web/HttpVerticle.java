package dev.vireo.web;

import dev.vireo.bus.Addresses;
import dev.vireo.config.ServerConfig;
import dev.vireo.observability.metrics.Metrics;
import dev.vireo.util.InfoText;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.List;

/**
 * The HTTP endpoint on {@code http-bind:http-port}, on its own event loop: the live status page ({@code /} and
 * its assets from {@code webroot/} in the jar), {@code /api/status} (a JSON snapshot), {@code /events} (the same
 * data pushed as server-sent events) and {@code /health}. Every figure comes from the data loop over the event
 * bus (the INFO text, the replication events); this verticle never touches the server's state.
 *
 * <p>Once a second it asks the data loop for the INFO text, records a point of the lag history and pushes the
 * status to the open event streams; replication and failover events, and the role changes they (or INFO) show,
 * are pushed as they are published.
 */
public final class HttpVerticle extends VerticleBase {
  static final long SAMPLE_MILLIS = 1000;
  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(1000);
  /** The page and its assets come from this origin only: nothing is fetched from anywhere else. */
  private static final String CSP = "default-src 'self'; img-src 'self' data:; connect-src 'self'; "
      + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

  private final ServerConfig config;
  private final String host;
  private final int port;
  private final EventStream streams = new EventStream();
  /** The browsers and programs following {@code /fleet/events}. */
  private final EventStream fleetStreams = new EventStream();
  private final StatusModel model = new StatusModel(System.currentTimeMillis(), streams::push);
  private HttpServer http;
  private long timer = -1;
  private boolean sampling;

  public HttpVerticle(ServerConfig config, int port) {
    this.config = config;
    this.host = config.get("http-bind");
    this.port = port;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    // requirepass (read live, CONFIG SET may change it) guards every route but /health and /metrics
    router.route().handler(new BasicAuth(() -> config.get("requirepass")));
    router.route().handler(ctx -> {
      ctx.response().putHeader("Content-Security-Policy", CSP).putHeader("X-Content-Type-Options", "nosniff");
      ctx.next();
    });
    router.get("/health").handler(this::health);
    router.get("/metrics").handler(Metrics.endpoint(vertx));
    router.get("/api/status").handler(this::status);
    router.get("/api/fleet").handler(this::fleet);
    router.get("/fleet").handler(ctx -> ctx.reroute("/fleet.html"));
    router.get("/fleet/events").handler(this::fleetEvents);
    router.get("/events").handler(this::events);
    router.get().handler(StaticHandler.create("webroot").setCachingEnabled(false));

    MessageConsumer<JsonObject> state = vertx.eventBus().consumer(Addresses.REPLICATION_STATE,
        m -> model.onLinkEvent(m.body(), System.currentTimeMillis()));
    MessageConsumer<JsonObject> replicas = vertx.eventBus().consumer(Addresses.REPLICATION_REPLICAS,
        m -> model.onReplicaEvent(m.body(), System.currentTimeMillis()));
    MessageConsumer<JsonObject> failover = vertx.eventBus().consumer(Addresses.REPLICATION_FAILOVER,
        m -> model.onFailoverEvent(m.body(), System.currentTimeMillis()));
    MessageConsumer<JsonObject> fleetStatus = vertx.eventBus().consumer(Addresses.FLEET_STATUS,
        m -> fleetStreams.push("status", m.body()));
    MessageConsumer<JsonObject> fleetEvents = vertx.eventBus().consumer(Addresses.FLEET_EVENTS,
        m -> fleetStreams.push("event", m.body()));
    timer = vertx.setPeriodic(SAMPLE_MILLIS, id -> sample());
    http = vertx.createHttpServer();
    return Future.all(List.of(state.completion(), replicas.completion(), failover.completion(),
            fleetStatus.completion(), fleetEvents.completion()))
        .compose(v -> http.requestHandler(router).listen(port, host));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    streams.closeAll();
    fleetStreams.closeAll();
    return Future.succeededFuture();
  }

  public int actualPort() {
    return http == null ? -1 : http.actualPort();
  }

  private void health(RoutingContext ctx) {
    vertx.eventBus().<JsonObject>request(Addresses.HEALTH, null, ASK)
        .onSuccess(m -> ctx.response().putHeader("content-type", "application/json").end(m.body().encode()))
        .onFailure(e -> ctx.response().setStatusCode(503).putHeader("content-type", "application/json")
            .end(new JsonObject().put("status", "unavailable").put("error", e.getMessage()).encode()));
  }

  private void status(RoutingContext ctx) {
    long asked = System.currentTimeMillis();
    info().onSuccess(text -> ctx.response().putHeader("content-type", "application/json")
            .putHeader("Cache-Control", "no-store")
            .end(snapshot(text, asked).encodePrettily()))
        .onFailure(e -> unavailable(ctx, e));
  }

  /** In a fleet: this node's lag in ms as the fleet view has it (null as a replica without one, or alone). */
  private Future<Long> fleetLag(String infoText) {
    if (!config.getBool("fleet")) return Future.succeededFuture(null);
    long port = InfoText.parse(infoText).getLong("tcp_port", 0);
    return vertx.eventBus().<JsonObject>request(Addresses.FLEET_VIEW, null, ASK).map(m -> {
      for (Object o : m.body().getJsonArray("nodes")) {
        JsonObject n = (JsonObject) o;
        if (n.getBoolean("member") && n.getInteger("port") == port) return n.getLong("lag_ms");
      }
      return (Long) null;
    }).otherwise((Long) null);
  }

  /**
   * The fleet's stream: opens with the whole view ({@code view}), then every member's snapshot ({@code status},
   * {@link Addresses#FLEET_STATUS}) and replication event ({@code event}, {@link Addresses#FLEET_EVENTS}) as they
   * arrive, for programs that follow the fleet without the event bus.
   */
  private void fleetEvents(RoutingContext ctx) {
    vertx.eventBus().<JsonObject>request(Addresses.FLEET_VIEW, null, ASK)
        .onSuccess(m -> {
          if (!ctx.response().closed()) fleetStreams.open(ctx.response(), "view", m.body());
        })
        .onFailure(e -> unavailable(ctx, e));
  }

  /** The fleet view ({@link Addresses#FLEET_VIEW}): the topology this node sees. */
  private void fleet(RoutingContext ctx) {
    vertx.eventBus().<JsonObject>request(Addresses.FLEET_VIEW, null, ASK)
        .onSuccess(m -> ctx.response().putHeader("content-type", "application/json")
            .putHeader("Cache-Control", "no-store")
            .end(m.body().encodePrettily()))
        .onFailure(e -> unavailable(ctx, e));
  }

  /**
   * The stream opens with the whole snapshot ({@code snapshot}), then gets {@code status}, {@code link},
   * {@code replica}, {@code failover} and {@code role} as they come.
   */
  private void events(RoutingContext ctx) {
    long asked = System.currentTimeMillis();
    info().onSuccess(text -> {
      if (!ctx.response().closed()) streams.open(ctx.response(), "snapshot", snapshot(text, asked));
    }).onFailure(e -> unavailable(ctx, e));
  }

  /** The snapshot from an INFO text asked for at {@code asked}, after any role change it shows is pushed. */
  private JsonObject snapshot(String text, long asked) {
    long now = System.currentTimeMillis();
    model.onInfo(text, asked, now);
    return model.snapshot(text, now);
  }

  private void unavailable(RoutingContext ctx, Throwable e) {
    if (ctx.response().closed()) return;
    ctx.response().setStatusCode(503).putHeader("content-type", "application/json")
        .end(new JsonObject().put("status", "unavailable").put("error", e.getMessage()).encode());
  }

  private Future<String> info() {
    return vertx.eventBus().<String>request(Addresses.INFO, null, ASK).map(m -> m.body());
  }

  /** One point of history a second; skipped while the data loop is still answering the previous one. */
  private void sample() {
    if (sampling) return;
    sampling = true;
    long asked = System.currentTimeMillis();
    info().compose(text -> fleetLag(text).map(ms -> {
      model.fleetLagMillis(ms);
      return text;
    })).onComplete(ar -> {
      sampling = false;
      if (ar.failed()) return;
      long now = System.currentTimeMillis();
      model.onInfo(ar.result(), asked, now);
      streams.push("status", model.sample(ar.result(), now));
    });
  }
}
