package dev.vireo.observability.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.FreePort;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, started as a user starts it, serves {@code /metrics} with Vert.x's own meters on: the main
 * entry point builds its Vert.x instance with metrics enabled and the shaded jar carries Micrometer.
 */
@Timeout(120)
class MetricsJarIT {
  @Test
  void theJarServesMetricsWithVertxMeters(@TempDir Path dir) throws Exception {
    Path jar = Path.of(System.getProperty("vireo.jar", "target/vireo.jar"));
    assertTrue(Files.isRegularFile(jar), "package the jar first: " + jar);
    int port = FreePort.get();
    int http = FreePort.get();
    ProcessBuilder pb = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
        "--port", Integer.toString(port), "--http-port", Integer.toString(http), "--save", "", "--dir",
        dir.toString()))
        .redirectErrorStream(true).redirectOutput(dir.resolve("vireo.log").toFile());
    pb.environment().put("OTEL_SDK_DISABLED", "true");
    Process p = pb.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      Scrape first = null;
      while (first == null) {
        assertTrue(p.isAlive(), "exited: " + Files.readString(dir.resolve("vireo.log")));
        try {
          first = Scrape.of(http);
        } catch (IllegalStateException notYet) {
          assertTrue(System.nanoTime() < deadline, "no /metrics: " + Files.readString(dir.resolve("vireo.log")));
          MetricsEndpointTest.sleep(100);
        }
      }
      assertEquals(200, first.status());
      assertEquals(Optional.of(1.0), first.value("redis_up"));
      assertEquals(Optional.of(1.0), first.value("redis_instance_info",
          Map.of("role", "master", "tcp_port", Integer.toString(port))));
      Scrape second = Scrape.of(http);
      assertTrue(second.names().stream().anyMatch(n -> n.startsWith("vertx_http_server_requests")),
          "the first scrape is counted by Vert.x's HTTP server meters: " + second.names());
      assertTrue(second.names().contains("vireo_replication_handshake_step_seconds_bucket"));
    } finally {
      p.toHandle().destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertEquals(0, p.exitValue(), Files.readString(dir.resolve("vireo.log")));
    assertTrue(new File(dir.toFile(), "vireo.log").length() > 0);
  }
}
