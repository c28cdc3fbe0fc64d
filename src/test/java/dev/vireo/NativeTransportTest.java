package dev.vireo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.config.ServerConfig;
import io.netty.util.Version;
import io.vertx.core.Vertx;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The native transport the jar carries for {@code unixsocket}: the same Netty version as the one Vert.x brings (a
 * mismatched native library fails to load, or worse), and used only when a node has a socket.
 */
class NativeTransportTest {
  @Test
  void nativeEpollIsTheNettyVersionOfVertx() {
    Map<String, Version> versions = Version.identify();
    Version transport = versions.get("netty-transport");
    assertNotNull(transport, versions.keySet().toString());
    for (String artifact : new String[] {"netty-transport-native-epoll", "netty-transport-classes-epoll",
        "netty-transport-native-unix-common"}) {
      assertNotNull(versions.get(artifact), artifact + " on the classpath: " + versions.keySet());
      assertEquals(transport.artifactVersion(), versions.get(artifact).artifactVersion(), artifact);
    }
  }

  @Test
  void preferredOnlyWithAUnixSocket() throws Exception {
    assertFalse(VireoNode.vertxOptions(ServerConfig.load(new String[0])).getPreferNativeTransport());
    assertTrue(VireoNode.vertxOptions(ServerConfig.load(new String[] {"--unixsocket", "/tmp/x.sock"}))
        .getPreferNativeTransport());
  }

  @Test
  void loadsOnLinuxX8664() throws Exception {
    Assumptions.assumeTrue(System.getProperty("os.name").equals("Linux")
        && System.getProperty("os.arch").equals("amd64"), "the jar carries the library for linux-x86_64 only");
    Vertx vertx = Vertx.vertx(VireoNode.vertxOptions(ServerConfig.load(new String[] {"--unixsocket", "/tmp/x"})));
    try {
      assertTrue(vertx.isNativeTransportEnabled(), String.valueOf(vertx.unavailableNativeTransportCause()));
    } finally {
      vertx.close().await();
    }
  }
}
