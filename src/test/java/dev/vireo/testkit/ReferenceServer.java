package dev.vireo.testkit;

/**
 * The server an exact-bytes test talks to: a Vireo {@link TestNode}, or, with {@code -Dvireo.reference=redis}, a
 * real redis-server (DEBUG enabled as for Vireo), so the same assertions prove that the expected bytes are what
 * Redis writes.
 */
public final class ReferenceServer implements AutoCloseable {
  private final AutoCloseable server;
  private final RespClient client;

  private ReferenceServer(AutoCloseable server, RespClient client) {
    this.server = server;
    this.client = client;
  }

  public static ReferenceServer start() {
    if ("redis".equals(System.getProperty("vireo.reference"))) {
      RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes");
      return new ReferenceServer(redis, redis.client());
    }
    TestNode node = TestNode.start();
    return new ReferenceServer(node, node.client());
  }

  /** The connection opened at start. */
  public RespClient client() {
    return client;
  }

  @Override
  public void close() {
    client.close();
    try {
      server.close();
    } catch (Exception e) {
      throw new IllegalStateException("could not stop the server", e);
    }
  }
}
