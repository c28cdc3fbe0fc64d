package dev.vireo.server;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Accepts RESP connections on TCP and, with {@code unixsocket}, on a Unix domain socket. Deployed as a single
 * instance: its event loop is the data loop, so every connection, every command and the cron run on the one thread
 * that owns the keyspace (Redis's model). Both listeners hand their connections to the same {@link ClientRegistry}:
 * the same commands, AUTH, RESP3 and pipelining on either.
 */
public final class RespServerVerticle extends VerticleBase {
  private final Server server;
  private List<NetServer> tcp = new ArrayList<>();
  /** The grace Vert.x gives an unbound listener's clients: longer than any connection lives. */
  private static final Duration UNBIND_GRACE = Duration.ofDays(365L * 100);
  /** Listeners unbound by CONFIG SET whose clients may still be connected; closed with the node. */
  private final List<NetServer> unbound = new ArrayList<>();
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
   * Listens on every {@code bind} address ({@code *} is 0.0.0.0, {@code ::*} is ::, a leading {@code -} marks an
   * optional address, skipped when it cannot be bound: the host lacks it, or {@code ::} while 0.0.0.0 holds the
   * port on a dual-stack host). {@code port 0} binds a free port, unless {@code
   * unixsocket} is set: then, as in Redis, it turns TCP off and the node listens on the socket file only.
   */
  private Future<Void> listenTcp() {
    server.config.onApply("port", v -> changePort(Integer.parseInt(v)));
    server.config.onApply("bind", v -> changeBind());
    int port = server.config.getInt("port");
    if (port == 0 && !unixSocket().isEmpty()) return Future.succeededFuture();
    return listen(bindAddresses(server.config.get("bind")), port).map(servers -> {
      tcp = servers;
      int actual = servers.isEmpty() ? port : servers.get(0).actualPort();
      server.port(actual);
      // port 0 picks a free port: CONFIG GET port and INFO then tell the one actually bound
      if (port == 0) server.config.apply("port", Integer.toString(actual));
      return null;
    });
  }

  /** Listens on each address in turn (the first one picks the port when it is 0); fails on a required one. */
  private Future<List<NetServer>> listen(List<String> addresses, int port) {
    Future<List<NetServer>> f = Future.succeededFuture(new ArrayList<>());
    for (String address : addresses) {
      f = f.compose(servers -> {
        boolean optional = address.startsWith("-");
        String host = hostOf(address);
        int p = servers.isEmpty() ? port : servers.get(0).actualPort();
        NetServer ns = vertx.createNetServer(new NetServerOptions()
            .setHost(host)
            .setPort(p)
            .setTcpNoDelay(true)
            .setTcpKeepAlive(server.config.getInt("tcp-keepalive") > 0)
            .setAcceptBacklog(server.config.getInt("tcp-backlog"))
            .setReuseAddress(true));
        ns.connectHandler(socket -> {
          // a client outlives its listener's unbinding (CONFIG SET port or bind: see unbind); any other shutdown
          // (the socket's own close, the node's stop) closes it, as Vert.x leaves that to a handler once one is set
          socket.shutdownHandler(grace -> {
            if (grace.compareTo(UNBIND_GRACE) < 0) socket.close();
          });
          server.clients.accept(socket);
        });
        return ns.listen().map(x -> {
          servers.add(ns);
          return servers;
        }).recover(e -> {
          if (optional) {
            server.log.verbose("Skipping the optional bind address " + host + ": " + e.getMessage());
            return Future.succeededFuture(servers);
          }
          for (NetServer open : servers) open.close();
          return Future.failedFuture("Could not create server TCP listening socket " + host + ":" + p + ": "
              + e.getMessage());
        });
      });
    }
    return f;
  }

  /**
   * CONFIG SET port: the new port is tried on every address first (an error leaves everything as it was), then
   * listened on, and only then are the old listeners closed; connected clients stay. Port 0 stops listening on
   * TCP, as in Redis.
   */
  private String changePort(int port) {
    List<String> addresses = bindAddresses(server.config.get("bind"));
    if (port != 0) {
      String failed = probe(addresses, port);
      if (failed != null) {
        server.log.warn("Unable to listen on port " + port + ": " + failed);
        return "Unable to listen on this port. Check server logs.";
      }
    }
    List<NetServer> old = tcp;
    tcp = new ArrayList<>();
    server.port(port);
    Future<List<NetServer>> started = port == 0 ? Future.succeededFuture(new ArrayList<>()) : listen(addresses, port);
    started.onComplete(r -> {
      if (r.succeeded()) tcp = r.result();
      else server.log.warn("Listening on port " + port + " failed: " + r.cause().getMessage());
      for (NetServer ns : old) unbind(ns);
    });
    return null;
  }

  /**
   * CONFIG SET bind: each new address must exist on the host (optional ones may be missing); then the old
   * listeners close and the new ones open on the same port. Connected clients stay.
   */
  private String changeBind() {
    List<String> addresses = bindAddresses(server.config.get("bind"));
    String failed = probe(addresses, 0);
    if (failed != null) {
      server.log.warn("Failed to bind to " + failed);
      return "Failed to bind to specified addresses.";
    }
    int port = server.config.getInt("port");
    List<NetServer> old = tcp;
    tcp = new ArrayList<>();
    for (NetServer ns : old) unbind(ns);
    Future<List<NetServer>> started = port == 0 ? Future.succeededFuture(new ArrayList<>())
        : listenWhenFree(addresses, port, System.currentTimeMillis() + 2000);
    started.onComplete(r -> {
      if (r.succeeded()) tcp = r.result();
      else server.log.warn("Listening on the new bind addresses failed: " + r.cause().getMessage());
    });
    return null;
  }

  /**
   * Stops a listener from accepting while the clients it accepted stay connected, as Redis closes only its
   * listening socket: Vert.x's shutdown unbinds at once and, for connections that handle its shutdown event (all
   * of them: see listen), closes them only when its grace period ends, which is made longer than any connection
   * lives.
   */
  private void unbind(NetServer ns) {
    unbound.add(ns);
    ns.shutdown(UNBIND_GRACE);
  }

  /**
   * {@link #listen} once the old listeners have let the port go: until the operating system lets each address be
   * bound, Vert.x would attach a new listener to the unbinding one (it shares one socket between servers on the
   * same address), so the port is probed every few milliseconds first.
   */
  private Future<List<NetServer>> listenWhenFree(List<String> addresses, int port, long deadline) {
    if (probe(addresses, port) == null || System.currentTimeMillis() > deadline) {
      return vertx.timer(5).compose(v -> listen(addresses, port));
    }
    return vertx.timer(5).compose(v -> listenWhenFree(addresses, port, deadline));
  }

  /** Binds each address for a moment; the first required one that cannot be bound, with why, or null. */
  private static String probe(List<String> addresses, int port) {
    for (String address : addresses) {
      String host = hostOf(address);
      try (ServerSocket probe = new ServerSocket()) {
        probe.setReuseAddress(true);
        probe.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      } catch (IOException | RuntimeException e) {
        if (!address.startsWith("-")) return host + ":" + port + " (" + e.getMessage() + ")";
      }
    }
    return null;
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
    return !tcp.isEmpty();
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
    List<NetServer> listeners = new ArrayList<>(tcp);
    listeners.addAll(unbound);
    Future<Void> tcpClosed = Future.all(listeners.stream().map(NetServer::close).toList()).mapEmpty();
    Future<Void> sock = unix == null ? Future.succeededFuture() : unix.close().eventually(() -> {
      server.log.info("Removing the unix socket file.");
      try {
        Files.deleteIfExists(socketFile);
      } catch (IOException e) {
        server.log.warn("Error removing the unix socket file: " + e);
      }
      return Future.succeededFuture();
    });
    return Future.all(tcpClosed, sock);
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

  /** redis.conf's bind: its addresses as written ("-" kept), every interface when it is empty. */
  static List<String> bindAddresses(String bind) {
    if (bind == null || bind.isBlank()) return List.of("*", "-::*");
    return List.of(bind.trim().split("\\s+"));
  }

  /** The host a bind address listens on. */
  static String hostOf(String address) {
    String a = address.startsWith("-") ? address.substring(1) : address;
    if (a.equals("*")) return "0.0.0.0";
    if (a.equals("::*")) return "::";
    return a;
  }
}
