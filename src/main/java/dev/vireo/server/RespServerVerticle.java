package dev.vireo.server;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;

/**
 * Accepts RESP connections. Deployed as a single instance: its event loop is the data loop, so every connection,
 * every command and the cron run on the one thread that owns the keyspace (Redis's model).
 */
public final class RespServerVerticle extends VerticleBase {
  private final Server server;
  private NetServer net;
  private long cronTimer = -1;

  public RespServerVerticle(Server server) {
    this.server = server;
  }

  @Override
  public Future<?> start() {
    String bind = firstBindAddress(server.config.get("bind"));
    NetServerOptions opts = new NetServerOptions()
        .setHost(bind)
        .setPort(server.config.getInt("port"))
        .setTcpNoDelay(true)
        .setTcpKeepAlive(server.config.getInt("tcp-keepalive") > 0)
        .setAcceptBacklog(server.config.getInt("tcp-backlog"))
        .setReuseAddress(true);
    net = vertx.createNetServer(opts);
    net.connectHandler(server.clients::accept);
    int hz = Math.max(1, Math.min(500, server.config.getInt("hz")));
    cronTimer = vertx.setPeriodic(1000 / hz, id -> server.cron());
    return server.start(vertx, context).compose(v -> net.listen()).map(s -> {
      server.port(s.actualPort());
      // port 0 picks a free port: CONFIG GET port and INFO then tell the one actually bound
      if (server.config.getInt("port") == 0) server.config.apply("port", Integer.toString(s.actualPort()));
      return s;
    });
  }

  /** The data loop's context. */
  public Context dataContext() {
    return context;
  }

  @Override
  public Future<?> stop() {
    if (cronTimer >= 0) vertx.cancelTimer(cronTimer);
    server.clients.closeAll();
    server.scriptInfo().close();
    return net == null ? Future.succeededFuture() : net.close();
  }

  /** redis.conf's bind takes several addresses ("-" marks optional ones); this listens on the first. */
  static String firstBindAddress(String bind) {
    if (bind == null || bind.isBlank()) return "0.0.0.0";
    String first = bind.trim().split("\\s+")[0];
    if (first.startsWith("-")) first = first.substring(1);
    if (first.equals("*")) return "0.0.0.0";
    if (first.equals("::*")) return "::";
    return first;
  }
}
