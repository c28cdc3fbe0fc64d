package dev.vireo;

import dev.vireo.acl.Acl;
import dev.vireo.acl.AclCommands;
import dev.vireo.bus.Addresses;
import dev.vireo.command.Commands;
import dev.vireo.command.Info;
import dev.vireo.command.Node;
import dev.vireo.persistence.Persistence;
import dev.vireo.persistence.aof.AofLoader;
import dev.vireo.persistence.aof.AofManifest;
import dev.vireo.persistence.aof.AofWriter;
import dev.vireo.replication.master.MasterSide;
import dev.vireo.replication.replica.ReplicaLink;
import dev.vireo.config.ServerConfig;
import dev.vireo.fleet.FleetVerticle;
import dev.vireo.server.CommandSpec;
import dev.vireo.server.CommandTable;
import dev.vireo.server.RespServerVerticle;
import dev.vireo.server.Server;
import dev.vireo.util.Log;
import dev.vireo.web.EventBusBridgeVerticle;
import dev.vireo.web.HttpVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/** One running Vireo node: the RESP server on its data loop, and the HTTP endpoint. */
public final class VireoNode {
  private final Vertx vertx;
  private final Server server;
  private final Node parts;
  private final RespServerVerticle resp;
  private HttpVerticle http;
  private String respDeployment;
  private String httpDeployment;
  private String bridgeDeployment;
  private String fleetDeployment;
  private MessageConsumer<Object> health;
  private MessageConsumer<Object> info;
  private final Promise<Void> closed = Promise.promise();
  private final Promise<Void> loaded = Promise.promise();
  private boolean closing;

  private VireoNode(Vertx vertx, Node parts) {
    this.vertx = vertx;
    this.server = parts.server();
    this.parts = parts;
    this.resp = new RespServerVerticle(server);
  }

  /**
   * Assembles a node's data loop: the core (keyspace, clients, dispatcher), persistence, the master side and the
   * replica link above it, installed into the core through its narrow interfaces, and the command table with its
   * {@code rename-command}s applied (an impossible one throws {@link IllegalArgumentException} with Redis's
   * message). Needs no Vert.x: {@code main} does it while Vert.x is being built on another thread.
   */
  public static Node assemble(ServerConfig config, Log log) {
    CommandTable table = new CommandTable();
    Server server = new Server(config, log, table);
    Persistence persistence = new Persistence(server);
    MasterSide master = new MasterSide(server, persistence);
    ReplicaLink replica = new ReplicaLink(server, master, persistence);
    server.install(persistence, replica, master);
    AofWriter aof = new AofWriter(server, persistence);
    server.install(aof);
    Node parts = new Node(server, persistence, replica, master, aof);
    Commands.register(table, parts);
    Acl acl = new Acl(server, CommandSpec::aclCategories);
    AclCommands.register(table, acl);
    // rename-command lines, in file order: each one renames what the lines before left
    config.renamedCommands().forEach((from, to) -> {
      try {
        table.rename(from, to);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(">>> 'rename-command \"" + from + "\" \"" + to + "\"'\n" + e.getMessage());
      }
    });
    acl.start();
    server.install(acl);
    return parts;
  }

  /**
   * The options of a node's Vert.x instance. With {@code unixsocket} it prefers Netty's native transport (epoll, the
   * jar carries its library for linux-x86_64), which serves TCP and the socket file alike; where it cannot load,
   * Vert.x keeps its NIO transport, which on JDK 16+ has domain sockets too. Without {@code unixsocket} nothing
   * changes: NIO, as always.
   */
  public static VertxOptions vertxOptions(ServerConfig config) {
    String unixsocket = config.get("unixsocket");
    return new VertxOptions().setPreferNativeTransport(unixsocket != null && !unixsocket.isEmpty());
  }

  /** Starts a node. Port 0 binds a free port ({@link #port()} tells which); {@code http-port 0} disables HTTP. */
  public static Future<VireoNode> start(Vertx vertx, ServerConfig config) {
    return start(vertx, config, new Log());
  }

  public static Future<VireoNode> start(Vertx vertx, ServerConfig config, Log log) {
    return start(vertx, assemble(config, log));
  }

  /**
   * After the dataset is loaded: with {@code appendonly yes} appends go on in the AOF on disk, or a first base is
   * written when there is none.
   */
  private static Future<Void> openAof(Vertx vertx, Node parts) {
    parts.aof().start(vertx);
    ServerConfig config = parts.server().config;
    try {
      Path dir = Path.of(config.get("dir")).resolve(config.get("appenddirname"));
      return parts.aof().openAtStart(AofManifest.load(dir, config.get("appendfilename")));
    } catch (IOException | AofManifest.ManifestException e) {
      return Future.failedFuture(e);
    }
  }

  /** Starts a node from parts {@link #assemble}d beforehand. */
  public static Future<VireoNode> start(Vertx vertx, Node parts) {
    Server server = parts.server();
    ServerConfig config = server.config;
    VireoNode node = new VireoNode(vertx, parts);
    server.shutdownHook(node::close);
    // with appendonly yes the append-only file is the dataset, as in Redis 7.0: the RDB file is not read
    AofLoader aofLoader = config.getBool("appendonly") ? new AofLoader(server, parts.persistence()) : null;
    if (aofLoader != null) aofLoader.expectLoad();
    else parts.persistence().expectLoad();
    node.replicaOfAfterLoad();
    return vertx.deployVerticle(node.resp).compose(id -> {
      node.respDeployment = id;
      return node.registerHealth();
    }).compose(v -> {
      // the dataset loads after the port opens: clients get -LOADING meanwhile, as from Redis; then the AOF
      // writer goes on from the files on disk (or writes a first base)
      node.resp.dataContext().runOnContext(x -> {
        Future<Void> load = aofLoader != null ? aofLoader.loadAtStartup(vertx, node.resp.dataContext()).mapEmpty()
            : parts.persistence().loadAtStartup();
        load.compose(loaded -> openAof(vertx, parts)).onComplete(ar -> {
          if (ar.succeeded()) node.startReplication();
          node.loaded.handle(ar);
        });
      });
      int httpPort = config.getInt("http-port");
      if (httpPort <= 0) return Future.succeededFuture();
      node.http = new HttpVerticle(config, httpPort);
      return vertx.deployVerticle(node.http).map(id -> {
        node.httpDeployment = id;
        return null;
      });
    }).compose(v -> {
      // the fleet view: for /api/fleet, and with fleet yes the node's membership of the fleet
      if (node.http == null && !config.getBool("fleet")) return Future.succeededFuture();
      return vertx.deployVerticle(new FleetVerticle(config, server.log, node.httpPort())).map(id -> {
        node.fleetDeployment = id;
        return null;
      });
    }).compose(v -> {
      int bridgePort = config.getInt("eventbus-bridge-port");
      if (bridgePort <= 0) return Future.succeededFuture();
      return vertx.deployVerticle(new EventBusBridgeVerticle(config, bridgePort)).map(id -> {
        node.bridgeDeployment = id;
        return null;
      });
    }).map(v -> node);
  }

  /** The {@code replicaof host port} directive: a replica from the start, whose link connects once loaded. */
  private void replicaOfAfterLoad() {
    String replicaOf = server.config.get("replicaof");
    if (replicaOf == null || replicaOf.isBlank()) return;
    int sp = replicaOf.lastIndexOf(' ');
    parts.replica().replicaOfAfterLoad(replicaOf.substring(0, sp), Integer.parseInt(replicaOf.substring(sp + 1)));
  }

  /** The {@code replicaof host port} directive: follow that master once the local dataset is loaded. */
  private void startReplication() {
    ReplicaLink link = parts.replica();
    if (link.isReplica()) link.replicaOf(link.masterHost(), link.masterPort());
  }

  /** The health consumer is registered from the data loop so its handler runs there. */
  private Future<Void> registerHealth() {
    Promise<Void> p = Promise.promise();
    resp.dataContext().runOnContext(v -> {
      health = vertx.eventBus().consumer(Addresses.HEALTH, m -> m.reply(new JsonObject()
          .put("status", "ok")
          .put("role", server.roleName())
          .put("port", server.port())
          .put("uptime_in_seconds", (System.currentTimeMillis() - server.startMillis) / 1000)
          .put("connected_clients", server.clients.count())
          .put("keys", server.keyspace().totalKeys())));
      info = vertx.eventBus().consumer(Addresses.INFO,
          m -> m.reply(Info.build(parts, m.body() instanceof String sections
              ? new HashSet<>(Arrays.asList(sections.split(" "))) : Set.of("everything"))));
      Future.all(health.completion(), info.completion()).<Void>mapEmpty().onComplete(p);
    });
    return p.future();
  }

  /** The TCP port the RESP server listens on; 0 when it listens on {@code unixsocket} only. */
  public int port() {
    return server.port();
  }

  /** Whether the RESP server listens on TCP: not with {@code port 0} and {@code unixsocket}, as in Redis. */
  public boolean listensTcp() {
    return resp.listensTcp();
  }

  /** The HTTP port, or -1 when disabled. */
  public int httpPort() {
    return http == null ? -1 : http.actualPort();
  }

  public Vertx vertx() {
    return vertx;
  }

  public Server server() {
    return server;
  }

  /** Runs {@code work} on the data loop, where the keyspace may be read (introspection and tests). */
  public <T> Future<T> onDataLoop(Supplier<T> work) {
    Promise<T> p = Promise.promise();
    resp.dataContext().runOnContext(v -> {
      try {
        p.complete(work.get());
      } catch (RuntimeException e) {
        p.fail(e);
      }
    });
    return p.future();
  }

  /** Completes when the dataset on disk is loaded (at once when there is none); fails on a bad file. */
  public Future<Void> loaded() {
    return loaded.future();
  }

  /** A graceful stop as SIGTERM asks for it: see {@link #shutdown(String)}. */
  public Future<Void> shutdown() {
    return shutdown("TERM");
  }

  /**
   * A graceful stop on the signal {@code SIG<name>} (TERM or INT), as Redis: with the flags of shutdown-on-sigterm
   * (or -sigint), waiting for lagging replicas, then saving when save rules are configured; completes when the node
   * has closed (never, when the save fails or SHUTDOWN ABORT cancels it).
   */
  public Future<Void> shutdown(String name) {
    resp.dataContext().runOnContext(v -> server.shutdownWait.signal(name));
    return closed.future();
  }

  /** Completes when the node has closed, whoever closed it (SHUTDOWN, SIGTERM, a test). */
  public Future<Void> closed() {
    return closed.future();
  }

  /** Closes listeners and client connections; completes when the node is down. */
  public synchronized Future<Void> close() {
    if (!closing) {
      closing = true;
      Future<Void> f = health == null ? Future.succeededFuture()
          : Future.all(health.unregister(), info.unregister()).mapEmpty();
      f.compose(v -> fleetDeployment == null ? Future.succeededFuture() : vertx.undeploy(fleetDeployment))
          .compose(v -> bridgeDeployment == null ? Future.succeededFuture() : vertx.undeploy(bridgeDeployment))
          .compose(v -> httpDeployment == null ? Future.succeededFuture() : vertx.undeploy(httpDeployment))
          .compose(v -> respDeployment == null ? Future.succeededFuture() : vertx.undeploy(respDeployment))
          .onComplete(closed);
    }
    return closed.future();
  }
}
