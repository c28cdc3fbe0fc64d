package dev.vireo.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Free loopback TCP ports for tests that cannot bind port 0 themselves (external processes). */
public final class FreePort {
  /** Redis's default RESP port and Vireo's default HTTP port: a test must never take them. */
  private static final int REDIS_DEFAULT_PORT = 6379;
  private static final int HTTP_DEFAULT_PORT = 16379;

  private FreePort() {}

  /**
   * A port the kernel just handed out for loopback and released again. Another process may grab it before the
   * caller binds it; good enough for tests, which start right away.
   */
  public static int get() {
    for (int attempt = 0; attempt < 20; attempt++) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = socket.getLocalPort();
        if (port != REDIS_DEFAULT_PORT && port != HTTP_DEFAULT_PORT) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot find a free loopback port", e);
      }
    }
    throw new IllegalStateException("no free loopback port after 20 attempts");
  }
}
