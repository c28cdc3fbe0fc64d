package dev.vireo.fleet;

import dev.vireo.bus.Addresses;
import dev.vireo.config.ServerConfig;
import dev.vireo.observability.metrics.Metrics;
import dev.vireo.util.InfoText;
import dev.vireo.util.Log;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A node's part in the fleet, on its own event loop. Once a second it reads the node's {@code INFO} over the local
 * event bus and folds its {@link FleetSnapshot} into the {@link FleetView}; {@code /api/fleet} asks that view
 * ({@link Addresses#FLEET_VIEW}). Alone ({@code fleet no}) the view is the node and the neighbours its INFO names.
 *
 * <p>With {@code fleet yes} it also starts a second, clustered Vert.x instance (Hazelcast, joined by a TCP member
 * list: {@code fleet-members}, no multicast) in the background, after the node answers on its port: the node's own
 * Vert.x, and so the data loop, never waits for the cluster, whether it is up, slow or partitioned. Over that
 * cluster's event bus it publishes its snapshots ({@link Addresses#FLEET_STATUS}) and its replication events
 * ({@link Addresses#FLEET_EVENTS}), and receives the other members'; what it receives is published again on the
 * node's own bus under the same addresses, for the status page, the TCP bridge and the event stream.
 */
public final class FleetVerticle extends VerticleBase {
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  private static final long PERIOD_MILLIS = 1000;
  /** How often a master with replicas samples its offset for the fleet: the resolution of lag in ms. */
  private static final long OFFSET_PERIOD_MILLIS = 100;

  private final ServerConfig config;
  private final Log log;
  private final int httpPort;
  private FleetView view;
  private Vertx cluster;
  private volatile boolean clusterUp;
  private volatile FleetCluster manager;
  private volatile int nodesUp;
  private boolean hasReplicas;
  private String linkState;
  private boolean stopping;
  private boolean sampling;
  private String self;

  public FleetVerticle(ServerConfig config, Log log, int httpPort) {
    this.config = config;
    this.log = log;
    this.httpPort = httpPort;
  }

  /** Whether the node is a member of a joined fleet (the metrics' {@code cluster_bus_up}). */
  public boolean clusterUp() {
    return clusterUp;
  }

  @Override
  public Future<?> start() {
    view = new FleetView(downAfterMillis(config));
    EventBus bus = vertx.eventBus();
    bus.<Object>localConsumer(Addresses.FLEET_VIEW, m -> {
      // alone, the view is read when asked; in a fleet it is kept current by the sampling below
      if (config.getBool("fleet")) m.reply(view.toJson(System.currentTimeMillis()));
      else sample().onComplete(ar -> m.reply(view.toJson(System.currentTimeMillis())));
    });
    if (config.getBool("fleet")) {
      MeterRegistry registry = Metrics.registry(vertx);
      Gauge.builder("vireo_cluster_bus_up", this, f -> f.clusterUp ? 1 : 0)
          .description("1 while the node is a member of its fleet's cluster (fleet yes), else 0")
          .register(registry);
      Gauge.builder("vireo_fleet_members", this, f -> f.manager == null ? 0 : f.manager.members())
          .description("Members of the fleet's cluster this node sees, itself included")
          .register(registry);
      Gauge.builder("vireo_fleet_nodes_up", this, f -> f.nodesUp)
          .description("Fleet members whose snapshots arrive (shown up on /fleet), this node included")
          .register(registry);
      vertx.setPeriodic(OFFSET_PERIOD_MILLIS, id -> sampleOffset());
      vertx.setPeriodic(0, PERIOD_MILLIS, id -> {
        if (!sampling) sample();
      });
      for (String a : List.of(Addresses.REPLICATION_STATE, Addresses.REPLICATION_REPLICAS,
          Addresses.REPLICATION_FAILOVER)) {
        bus.<Object>consumer(a, m -> {
          if (a.equals(Addresses.REPLICATION_STATE) && m.body() instanceof JsonObject ev) {
            linkState = ev.getString("state");
          }
          forward(a, m.body());
        });
      }
      join();
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    return cluster == null ? Future.succeededFuture() : cluster.close();
  }

  /** A member is shown down after twice repl-ping-replica-period without news, or 5 s, whichever is less. */
  static long downAfterMillis(ServerConfig config) {
    return Math.min(5000, 2000L * config.getInt("repl-ping-replica-period"));
  }

  /** Reads the node's INFO and folds its snapshot into the view (and out to the fleet). */
  private Future<Void> sample() {
    sampling = true;
    // the two sections a snapshot reads, not INFO everything: the status page already samples that once a second
    return vertx.eventBus().<String>request(Addresses.INFO, "server replication").map(m -> {
      sampling = false;
      long now = System.currentTimeMillis();
      JsonObject snapshot = FleetSnapshot.of(InfoText.parse(m.body()), announcedHost(), httpPort, now);
      // where the handshake stands while the link is not up: the replica link's last state (Redis's REPL_STATE_*)
      if (snapshot.getString("link") != null && !"up".equals(snapshot.getString("link")) && linkState != null) {
        snapshot.put("step", linkState);
      }
      self = FleetSnapshot.addr(snapshot);
      hasReplicas = !snapshot.getJsonArray("replicas").isEmpty();
      view.update(snapshot, now);
      nodesUp = view.membersUp(now);
      vertx.eventBus().publish(Addresses.FLEET_STATUS, snapshot, LOCAL);
      if (cluster != null && clusterUp) cluster.eventBus().publish(Addresses.FLEET_STATUS, snapshot);
      return (Void) null;
    }).onFailure(e -> sampling = false);
  }

  /** A master with replicas tells the fleet its offset (INFO replication only: cheap for the data loop). */
  private void sampleOffset() {
    if (cluster == null || !clusterUp || self == null || sampling || !hasReplicas) return;
    vertx.eventBus().<String>request(Addresses.INFO, "replication").onSuccess(m -> {
      InfoText info = InfoText.parse(m.body());
      long now = System.currentTimeMillis();
      long offset = info.getLong("master_repl_offset", 0);
      view.sample(self, offset, now);
      cluster.eventBus().publish(Addresses.FLEET_OFFSETS, new JsonObject().put("node", self).put("offset", offset)
          .put("ts", now));
    });
  }

  /** A local replication event, sent to the fleet with the node's address. */
  private void forward(String address, Object body) {
    if (cluster == null || !clusterUp || !(body instanceof JsonObject event) || self == null) return;
    cluster.eventBus().publish(Addresses.FLEET_EVENTS, new JsonObject().put("node", self).put("address", address)
        .put("event", event));
  }

  /** The host other members and the page use for this node: replica-announce-ip, else fleet-bind. */
  private String announcedHost() {
    String ip = config.get("replica-announce-ip");
    if (ip != null && !ip.isEmpty()) return ip;
    String bind = config.get("fleet-bind");
    return bind == null || bind.isEmpty() || bind.equals("0.0.0.0") ? "127.0.0.1" : bind;
  }

  private void join() {
    Logger.getLogger("com.hazelcast").setLevel(Level.WARNING);
    manager = new FleetCluster(config);
    long t0 = System.currentTimeMillis();
    manager.start().onComplete(ar -> {
      if (ar.failed()) {
        log.warn("Could not join the fleet '" + config.get("fleet-name") + "': " + ar.cause().getMessage());
        return;
      }
      if (stopping) {
        ar.result().close();
        return;
      }
      cluster = ar.result();
      clusterUp = true;
      long joinedMillis = System.currentTimeMillis() - t0;
      log.info("Joined the fleet '" + config.get("fleet-name") + "' in " + joinedMillis + " ms ("
          + manager.members() + " members)");
      vertx.runOnContext(v -> vertx.eventBus().publish(Addresses.FLEET_EVENTS, new JsonObject()
          .put("node", self).put("address", "fleet").put("event", new JsonObject().put("joined_ms", joinedMillis)
              .put("members", manager.members())), LOCAL));
      cluster.eventBus().<JsonObject>consumer(Addresses.FLEET_STATUS, m -> {
        JsonObject s = m.body();
        vertx.runOnContext(v -> {
          if (FleetSnapshot.addr(s).equals(self)) return;
          view.update(s, System.currentTimeMillis());
          vertx.eventBus().publish(Addresses.FLEET_STATUS, s, LOCAL);
        });
      });
      cluster.eventBus().<JsonObject>consumer(Addresses.FLEET_OFFSETS, m -> {
        JsonObject o = m.body();
        vertx.runOnContext(v -> {
          if (!o.getString("node").equals(self)) view.sample(o.getString("node"), o.getLong("offset"), o.getLong("ts"));
        });
      });
      cluster.eventBus().<JsonObject>consumer(Addresses.FLEET_EVENTS, m -> {
        JsonObject e = m.body();
        if (self != null && self.equals(e.getString("node"))) return;
        vertx.runOnContext(v -> vertx.eventBus().publish(Addresses.FLEET_EVENTS, e, LOCAL));
      });
    });
  }
}
