package dev.vireo.observability.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.Http;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real Prometheus (Debian's package) scrapes live nodes' {@code /metrics} and is queried back through its HTTP
 * API: the exposition parses, the series carry the target's labels, values follow writes, and every metric the
 * dashboards use is stored.
 */
@Timeout(180)
class PrometheusScrapeIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** Polls until {@code value} returns {@code expected}, failing with the last value. */
  static void awaitValue(String what, double expected, Supplier<Double> value) {
    Poll.equal(WAIT, what, expected, value);
  }

  static Set<String> awaitNames(PrometheusProcess prometheus, Set<String> wanted) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      Set<String> missing = new TreeSet<>(wanted);
      missing.removeAll(prometheus.metricNames());
      if (missing.isEmpty() || System.nanoTime() > deadline) return missing;
      Poll.sleep(500);
    }
  }

  @Test
  void prometheusScrapesANodeAndAnswersQueries() {
    try (TestNode n = Http.node(); RespClient c = n.client()) {
      for (int i = 0; i < 5; i++) c.call("SET", "key:" + i, "v");
      String target = "127.0.0.1:" + n.httpPort();
      try (PrometheusProcess prometheus = PrometheusProcess.start(List.of(target))) {
        awaitValue("redis_db_keys{db=\"db0\"}", 5, () -> prometheus.value("redis_db_keys{db=\"db0\"}"));

        JsonArray up = prometheus.query("redis_up");
        assertEquals(1, up.size(), up.encode());
        JsonObject labels = up.getJsonObject(0).getJsonObject("metric");
        assertEquals(target, labels.getString("instance"));
        assertEquals("vireo", labels.getString("job"));
        assertEquals("1", up.getJsonObject(0).getJsonArray("value").getString(1));
        assertEquals(1.0, prometheus.value("up{job=\"vireo\"}"), "Prometheus parsed the scrape");
        assertEquals(1.0, prometheus.value("redis_connected_clients"), "the test's one connection");
        JsonArray info = prometheus.query("redis_instance_info{role=\"master\"}");
        assertEquals(1, info.size(), info.encode());
        assertEquals(Integer.toString(n.port()), info.getJsonObject(0).getJsonObject("metric").getString("tcp_port"));
        assertTrue(prometheus.value("count({__name__=~\"vertx_.+\"})") > 0, "Vert.x's own meters");
        assertTrue(prometheus.value("count(vireo_replication_handshake_step_seconds_bucket)") > 0);

        for (int i = 5; i < 8; i++) c.call("SET", "key:" + i, "v");
        awaitValue("redis_db_keys{db=\"db0\"} after 3 more writes", 8,
            () -> prometheus.value("redis_db_keys{db=\"db0\"}"));
        awaitValue("SET calls", 8, () -> prometheus.value("redis_commands_total{cmd=\"set\"}"));

        for (Object t : prometheus.activeTargets()) {
          JsonObject target0 = (JsonObject) t;
          assertEquals("up", target0.getString("health"), target0.encode());
          assertEquals("", target0.getString("lastError"), target0.encode());
        }
      }
    }
  }

  /**
   * Prometheus scrapes the compose stack's topology (a master, a replica, a replica of that replica): every
   * metric the dashboards query gets stored, with each node's series under its own instance.
   */
  @Test
  void everyDashboardMetricIsStored() {
    try (ChainedNodes chain = ChainedNodes.start();
        PrometheusProcess prometheus = PrometheusProcess.start(chain.httpTargets())) {
      assertEquals(Set.of(), awaitNames(prometheus, DashboardQueries.metricNames()),
          "queried by a dashboard, never stored");
      String master = "127.0.0.1:" + chain.master.httpPort();
      String middle = "127.0.0.1:" + chain.replica1.httpPort();
      String last = "127.0.0.1:" + chain.replica2.httpPort();
      awaitValue("the master's replicas", 1,
          () -> prometheus.value("redis_connected_slaves{instance=\"" + master + "\"}"));
      awaitValue("the middle node's replicas", 1,
          () -> prometheus.value("redis_connected_slaves{instance=\"" + middle + "\"}"));
      awaitValue("the last node's link", 1, () -> prometheus.value("redis_master_link_up{instance=\"" + last
          + "\",master_port=\"" + chain.replica1.port() + "\"}"));
      assertEquals(2.0, prometheus.value("count(redis_instance_info{role=\"slave\"})"));
      assertEquals(2.0, prometheus.value(
          "count(vireo_replication_handshake_step_seconds_count{step=\"psync\"} > 0)"), "both replicas");
    }
  }
}
