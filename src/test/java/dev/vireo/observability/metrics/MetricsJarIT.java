package dev.vireo.observability.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.FreePort;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.VireoJar;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged jar, started as a user starts it, serves {@code /metrics} with Vert.x's own meters on: the main
 * entry point builds its Vert.x instance with metrics enabled and the shaded jar carries Micrometer.
 */
@Timeout(120)
class MetricsJarIT {
  @Test
  void theJarServesMetricsWithVertxMeters() {
    int http = FreePort.get();
    try (VireoJar vireo = VireoJar.start(Map.of("OTEL_SDK_DISABLED", "true"), "--http-port", Integer.toString(http))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      Scrape first = null;
      while (first == null) {
        try {
          first = Scrape.of(http);
        } catch (UncheckedIOException notYet) {
          assertTrue(System.nanoTime() < deadline, "no /metrics: " + vireo.output());
          Poll.sleep(100);
        }
      }
      assertEquals(200, first.status());
      assertEquals(Optional.of(1.0), first.value("redis_up"));
      assertEquals(Optional.of(1.0), first.value("redis_instance_info",
          Map.of("role", "master", "tcp_port", Integer.toString(vireo.port()))));
      Scrape second = Scrape.of(http);
      assertTrue(second.names().stream().anyMatch(n -> n.startsWith("vertx_http_server_requests")),
          "the first scrape is counted by Vert.x's HTTP server meters: " + second.names());
      assertTrue(second.names().contains("vireo_replication_handshake_step_seconds_bucket"));

      vireo.terminate();
      assertEquals(0, vireo.awaitExit(), vireo::output);
      assertFalse(vireo.output().isEmpty(), "the node logs");
    }
  }
}
