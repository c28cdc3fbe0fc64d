package dev.vireo.server;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Accepts RESP connections on TCP and, with {@code unixsocket}, on a Unix domain socket. Deployed as a single
 * instance: its event loop is the data loop, so every connection, every command and the cron run on the one thread
 * that owns the keyspace (Redis's model). Both listeners hand their connections to the same {@link ClientRegistry}:
 * the same commands, AUTH, RESP3 and pipelining on either.
 */
public final class RespServerVerticle extends VerticleBase {
  private final Server server;
  private NetServer net;
  private NetServer unix;
  /** The socket file: {@code unixsocket} taken from {@code dir} when relative, as Redis (which chdirs there). */
  private Path socketFile;
  private long cronTimer = -1;

  public RespServerVerticle(Server server) {
    this.server = server;
  }

  @Override
  public Future<?> start() {
    int hz = Math.max(1, Math.min(500, server.config.getInt("hz")));
    cronTimer = vertx.setPeriodic(1000 / hz, id -> server.cron());
    // the socket file first, with its permissions, as Redis: once TCP answers, the socket is ready too
    return server.start(vertx, context).compose(v -> listenUnix()).compose(v -> listenTcp());
  }

  /**
   * {@code port 0} binds a free port, unless {@code unixsocket} is set: then, as in Redis, it turns TCP off and the
   * node listens on the socket file only.
   */
  private Future<Void> listenTcp() {
    int port = server.config.getInt("port");
    if (port == 0 && !unixSocket().isEmpty()) return Future.succeededFuture();
    NetServerOptions opts = new NetServerOptions()
        .setHost(firstBindAddress(server.config.get("bind")))
        .setPort(port)
        .setTcpNoDelay(true)
        .setTcpKeepAlive(server.config.getInt("tcp-keepalive") > 0)
        .setAcceptBacklog(server.config.getInt("tcp-backlog"))
        .setReuseAddress(true);
    net = vertx.createNetServer(opts);
    net.connectHandler(server.clients::accept);
    return net.listen().map(s -> {
      server.port(s.actualPort());
      // port 0 picks a free port: CONFIG GET port and INFO then tell the one actually bound
      if (port == 0) server.config.apply("port", Integer.toString(s.actualPort()));
      return null;
    });
  }

  /**
   * {@code unixsocket path}: a stale file at the path is removed first (Redis unlinks it too), then the socket is
   * bound and given {@code unixsocketperm}'s bits (0 leaves the default the umask gives). A relative path is taken
   * from {@code dir}, where Redis is when it binds.
   */
  private Future<Void> listenUnix() {
    String path = unixSocket();
    if (path.isEmpty()) return Future.succeededFuture();
    Path file = Path.of(server.config.get("dir")).resolve(path);
    socketFile = file;
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      return Future.failedFuture("Failed opening Unix socket: cannot remove " + path + ": " + e);
    }
    if (!vertx.isNativeTransportEnabled()) {
      Throwable cause = vertx.unavailableNativeTransportCause();
      server.log.warn("Netty's native epoll transport is not available (" + (cause == null ? "not asked for" : cause)
          + "): the unix socket is served by the JDK's own domain sockets");
    }
    unix = vertx.createNetServer(new NetServerOptions().setAcceptBacklog(server.config.getInt("tcp-backlog")));
    unix.connectHandler(server.clients::accept);
    return unix.listen(SocketAddress.domainSocketAddress(file.toString()))
        .recover(e -> Future.failedFuture("Failed opening Unix socket: " + e.getMessage()))
        .compose(s -> {
          int perm = Integer.parseInt(server.config.get("unixsocketperm"), 8);
          if (perm == 0) return Future.succeededFuture();
          try {
            Files.setPosixFilePermissions(file, permissions(perm));
            return Future.<Void>succeededFuture();
          } catch (IOException | UnsupportedOperationException e) {
            return Future.failedFuture("Failed opening Unix socket: cannot set permissions of " + path + ": " + e);
          }
        });
  }

  private String unixSocket() {
    String path = server.config.get("unixsocket");
    return path == null ? "" : path;
  }

  /** Whether the node listens on TCP (not when {@code port 0} with {@code unixsocket}). */
  public boolean listensTcp() {
    return net != null;
  }

  /** The data loop's context. */
  public Context dataContext() {
    return context;
  }

  @Override
  public Future<?> stop() {
    if (cronTimer >= 0) vertx.cancelTimer(cronTimer);
    server.clients.closeAll();
    server.migrateSockets.closeAll();
    server.scriptInfo().close();
    Future<Void> tcp = net == null ? Future.succeededFuture() : net.close();
    Future<Void> sock = unix == null ? Future.succeededFuture() : unix.close().eventually(() -> {
      server.log.info("Removing the unix socket file.");
      try {
        Files.deleteIfExists(socketFile);
      } catch (IOException e) {
        server.log.warn("Error removing the unix socket file: " + e);
      }
      return Future.succeededFuture();
    });
    return Future.all(tcp, sock);
  }

  /** Octal permission bits (as {@code chmod 770}) as the owner/group/others set they stand for. */
  static Set<PosixFilePermission> permissions(int bits) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
    for (int i = 0; i < order.length; i++) {
      if ((bits & (1 << i)) != 0) set.add(order[i]);
    }
    return set;
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
