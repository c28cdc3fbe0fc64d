package dev.vireo;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.vireo.command.Node;
import dev.vireo.config.ConfigException;
import dev.vireo.config.ServerConfig;
import dev.vireo.observability.Tracing;
import dev.vireo.observability.metrics.Metrics;
import dev.vireo.util.Log;
import dev.vireo.util.Version;
import io.vertx.core.Vertx;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * {@code java -jar vireo.jar [vireo.conf] [--directive value ...]}: starts a node as redis-server does, and shuts
 * it down gracefully on SIGTERM, SIGINT or SHUTDOWN.
 */
public final class Vireo {
  /** After start, when the one collection of start-up garbage runs (tracing starts in the background meanwhile). */
  private static final long START_COLLECTION_DELAY_MILLIS = 5000;

  private Vireo() {}

  public static void main(String[] args) throws Exception {
    // Netty's allocator events would start JFR's machinery on the first read from the first client (hundreds
    // of ms before the first reply); -Dio.netty.jfr.enabled=true brings them back.
    if (System.getProperty("io.netty.jfr.enabled") == null) System.setProperty("io.netty.jfr.enabled", "false");
    ServerConfig config;
    try {
      config = ServerConfig.load(args);
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      System.exit(1);
      return;
    }
    Log log = new Log();
    log.level(config.get("loglevel"));
    String logfile = config.get("logfile");
    if (logfile != null && !logfile.isEmpty()) {
      log.output(new PrintStream(new FileOutputStream(logfile, true), true));
    }
    // Vert.x with its metrics needs nothing from the configuration and takes longest to make: it is built while
    // this thread writes the first log lines, writes the pid file and installs the signal handlers.
    CompletableFuture<Vertx> vertxBuilt = new CompletableFuture<>();
    Thread builder = new Thread(() -> {
      try {
        vertxBuilt.complete(Metrics.vertx(VireoNode.vertxOptions(config)));
      } catch (Throwable e) {
        vertxBuilt.completeExceptionally(e);
      }
    }, "vireo-vertx-init");
    builder.start();
    log.info("oO0OoO0OoO0Oo Vireo is starting oO0OoO0OoO0Oo");
    log.info("Vireo version=" + Version.VIREO + ", redis_version=" + Version.REDIS_COMPAT + ", java="
        + System.getProperty("java.version") + ", pid=" + ProcessHandle.current().pid() + ", just started");
    Path file = config.configFile();
    log.info(file == null ? "Configuration loaded (no config file; defaults and command line)"
        : "Configuration loaded from " + file);
    writePidFile(config, log);

    // Signals are handled from before the port opens, so a SIGTERM at any moment shuts down gracefully.
    CountDownLatch down = new CountDownLatch(1);
    AtomicReference<VireoNode> running = new AtomicReference<>();
    Consumer<String> onSignal = name -> {
      VireoNode n = running.get();
      if (n != null) {
        n.shutdown(name);
      } else {
        log.warn("Received SIG" + name + " scheduling shutdown...");
        down.countDown();
      }
    };
    installSignal("TERM", onSignal, down, log);
    installSignal("INT", onSignal, down, log);

    // The port opens first; what only observes the node comes up after it: the HTTP endpoint and the event-bus
    // bridge (deployed after the RESP server), then OpenTelemetry (a good part of a second, on its own thread).
    Tracing.node(config);
    // the keyspace, the parts around it and the command table need no Vert.x: they are made while it is built
    Node parts;
    try {
      parts = VireoNode.assemble(config, log);
    } catch (IllegalArgumentException e) {
      // a rename-command the command table refuses: fatal, as Redis stops on it while reading its config
      System.err.println("\n*** FATAL CONFIG FILE ERROR (Vireo " + ServerConfig.version() + ") ***\n"
          + e.getMessage());
      System.exit(1);
      return;
    }
    Vertx vertx = vertxBuilt.join();
    VireoNode node;
    try {
      node = VireoNode.start(vertx, parts).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("Failed to start: " + e.getMessage());
      vertx.close();
      System.exit(1);
      return;
    }
    Tracing.initInBackground();
    log.info("Running mode=standalone, port=" + node.port() + ", role=" + node.server().roleName());
    log.info(node.httpPort() > 0
        ? "HTTP status on http://" + config.get("http-bind") + ":" + node.httpPort() + "/ (health: /health)"
        : "HTTP status disabled (http-port 0)");
    if (node.listensTcp()) log.info("Ready to accept connections");
    String unixsocket = config.get("unixsocket");
    if (!unixsocket.isEmpty()) log.info("The server is now ready to accept connections at " + unixsocket);
    try {
      node.loaded().await();
    } catch (Exception e) {
      log.warn("Refusing to serve a partial dataset: " + e.getMessage());
      node.close().await(10, TimeUnit.SECONDS);
      vertx.close();
      System.exit(1);
      return;
    }

    running.set(node);
    collectOnceAfterStart(log);
    if (down.getCount() == 0) node.close(); // a signal arrived while starting
    node.closed().onComplete(r -> down.countDown());
    down.await();
    log.warn("Vireo is shutting down: connections closed, listeners released");
    vertx.close().await(10, TimeUnit.SECONDS);
    deletePidFile(config);
    log.warn("Vireo is now ready to exit, bye bye...");
    System.exit(0);
  }

  /**
   * One collection a few seconds after start, where an explicit collection runs concurrently (Shenandoah, which
   * bin/vireo picks; G1 under bin/vireo's -XX:+ExplicitGCInvokesConcurrent). Start-up (classes, configuration,
   * tracing, loading the RDB) leaves garbage that Shenandoah's compact heuristics would keep in committed memory
   * until their first cycle, 30 s in: an idle node read 129 MB of RSS 15 s after start without it, 115 MB with it.
   * Never a stop-the-world collection: under a collector whose explicit collections stop the world, nothing.
   */
  private static void collectOnceAfterStart(Log log) {
    boolean concurrent;
    try {
      concurrent = Boolean.parseBoolean(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
          .getVMOption("ExplicitGCInvokesConcurrent").getValue());
    } catch (RuntimeException notHotSpot) {
      return;
    }
    if (!concurrent) return;
    Thread gc = new Thread(() -> {
      try {
        Thread.sleep(START_COLLECTION_DELAY_MILLIS);
        System.gc();
        log.verbose("Collected the start-up garbage");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "vireo-start-collection");
    gc.setDaemon(true);
    gc.start();
  }

  /** SIGTERM handled like Redis: a graceful shutdown and exit status 0, not the JVM's 143. */
  private static void installSignal(String name, Consumer<String> action, CountDownLatch down, Log log) {
    try {
      Signal.handle(new Signal(name), s -> action.accept(name));
    } catch (Throwable e) {
      // The signal is reserved here (e.g. inherited as ignored, or -Xrs): close from a shutdown hook instead,
      // waiting for the node so that the shutdown is still graceful.
      log.verbose("SIG" + name + " handler not installed (" + e.getMessage() + "); using a shutdown hook");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        action.accept(name);
        try {
          down.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
        }
      }));
    }
  }

  private static void writePidFile(ServerConfig config, Log log) {
    String pidfile = config.get("pidfile");
    if (pidfile == null || pidfile.isEmpty()) return;
    try {
      Files.writeString(Path.of(pidfile), ProcessHandle.current().pid() + "\n");
    } catch (Exception e) {
      log.warn("Failed to write PID file: " + e.getMessage());
    }
  }

  private static void deletePidFile(ServerConfig config) {
    String pidfile = config.get("pidfile");
    if (pidfile == null || pidfile.isEmpty()) return;
    try {
      Files.deleteIfExists(Path.of(pidfile));
    } catch (Exception ignored) {
      // best effort, as Redis
    }
  }
}
