package dev.vireo;

import dev.vireo.config.ServerConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** One running Vireo node: the RESP server, the keyspace's data loop and the HTTP endpoint. */
public final class VireoNode {
  private VireoNode() {}

  /** Starts a node; {@code port 0} (and {@code http-port 0}... see README) bind free ports. */
  public static Future<VireoNode> start(Vertx vertx, ServerConfig config) {
    return Future.failedFuture("not yet");
  }

  /** The TCP port the RESP server listens on (the real one when configured as 0). */
  public int port() {
    return -1;
  }

  /** The HTTP port, or -1 when disabled. */
  public int httpPort() {
    return -1;
  }

  public Vertx vertx() {
    return null;
  }

  /** Closes listeners and client connections; completes when the node is down. */
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
