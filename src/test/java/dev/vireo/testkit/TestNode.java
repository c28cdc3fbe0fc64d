package dev.vireo.testkit;

import dev.vireo.VireoNode;
import dev.vireo.config.ServerConfig;
import dev.vireo.observability.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An in-process Vireo node on free ports, with its own Vert.x instance. Arguments are those of the command
 * line ({@code [file] [--directive value ...]}); {@code --port 0 --http-port 0 --save "" --dir <temp> --enable-debug-command yes} are added unless given, so a
 * test never binds the default ports.
 */
public final class TestNode implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final VireoNode node;
  private final List<RespClient> clients = new ArrayList<>();
  /** The node's own {@code dir}, when the test did not give one: removed on close. */
  private Path ownDir;

  private TestNode(Vertx vertx, VireoNode node) {
    this.vertx = vertx;
    this.node = node;
  }

  public static TestNode start(String... directiveArgs) {
    List<String> args = new ArrayList<>(List.of(directiveArgs));
    if (!hasDirective(args, "port")) {
      args.addAll(List.of("--port", "0"));
    }
    if (!hasDirective(args, "http-port")) {
      args.addAll(List.of("--http-port", "0"));
    }
    if (!hasDirective(args, "save")) {
      args.addAll(List.of("--save", "")); // no snapshots unless a test asks for them
    }
    Path ownDir = null;
    if (!hasDirective(args, "dir")) {
      try {
        ownDir = Files.createTempDirectory("vireo-node");
      } catch (IOException e) {
        throw new IllegalStateException("cannot create a temp dir", e);
      }
      args.addAll(List.of("--dir", ownDir.toString()));
    }
    if (!hasDirective(args, "enable-debug-command")) {
      // as in Redis's own test suite: DEBUG is off by default and tests turn it on
      args.addAll(List.of("--enable-debug-command", "yes"));
    }
    ServerConfig config;
    try {
      config = ServerConfig.load(args.toArray(String[]::new));
    } catch (Exception e) {
      throw new IllegalStateException("cannot start a node with " + args + ": " + e.getMessage(), e);
    }
    Vertx vertx = Metrics.vertx(VireoNode.vertxOptions(config)); // with its metrics on, as a real node
    try {
      VireoNode node = await(VireoNode.start(vertx, config), START_TIMEOUT, "start a node with " + args);
      TestNode t = new TestNode(vertx, node);
      t.ownDir = ownDir;
      return t;
    } catch (Exception | Error e) {
      try {
        await(vertx.close(), STOP_TIMEOUT, "close Vert.x after a failed start");
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof RuntimeException r) {
        throw r;
      }
      if (e instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("cannot start a node with " + args + ": " + e.getMessage(), e);
    }
  }

  private static boolean hasDirective(List<String> args, String name) {
    return args.stream().anyMatch(a -> a.equalsIgnoreCase("--" + name));
  }

  /** The RESP port the node listens on. */
  public int port() {
    return node.port();
  }

  /** The HTTP port, or -1 when disabled. */
  public int httpPort() {
    return node.httpPort();
  }

  public VireoNode node() {
    return node;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** A new raw RESP client to the node, closed with the node. */
  public RespClient client() {
    RespClient client = new RespClient(port());
    synchronized (clients) {
      clients.add(client);
    }
    return client;
  }

  @Override
  public void close() {
    synchronized (clients) {
      clients.forEach(RespClient::close);
      clients.clear();
    }
    RuntimeException failure = null;
    try {
      await(node.close(), STOP_TIMEOUT, "close the node");
    } catch (RuntimeException e) {
      failure = e;
    }
    try {
      await(vertx.close(), STOP_TIMEOUT, "close Vert.x");
    } catch (RuntimeException e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    }
    if (ownDir != null) {
      TempDirs.deleteQuietly(ownDir);
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Blocks on a Future from a test thread, bounded. */
  public static <T> T await(Future<T> future, Duration timeout, String what) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("could not " + what + " within " + timeout.toSeconds() + " s", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while trying to " + what, e);
    }
  }
}
