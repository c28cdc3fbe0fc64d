package dev.vireo.replication.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.bus.Addresses;
import dev.vireo.observability.SpanNames;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.SpanCapture;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A master tells what it does for each replica: JSON events at {@code vireo.replication.replicas} in the order
 * the steps happen, and a span per PSYNC handled; a real Redis 7.0 replica drives it, with a password in use
 * that appears in neither.
 */
@Timeout(90)
class MasterEventsIT {
  private static final String PASSWORD = "m4ster-secret";
  private SpanCapture capture;
  private InMemorySpanExporter exporter;

  @BeforeEach
  void installSdk() {
    capture = SpanCapture.install();
    exporter = capture.exporter;
  }

  @AfterEach
  void removeSdk() {
    capture.close();
  }

  @Test
  void aFullThenAPartialResynchronizationAsEventsAndSpans() {
    try (TestNode master = TestNode.start("--requirepass", PASSWORD, "--repl-diskless-sync-delay", "0");
        RespClient c = master.client()) {
      List<JsonObject> events = new CopyOnWriteArrayList<>();
      TestNode.await(master.vertx().eventBus().<JsonObject>consumer(Addresses.REPLICATION_REPLICAS,
          m -> events.add(m.body())).completion(), Duration.ofSeconds(5), "the consumer");
      assertEquals("+OK\r\n", c.call("AUTH", PASSWORD));
      assertEquals("+OK\r\n", c.call("SET", "k", "v"));
      try (RedisServerProcess replica = RedisServerProcess.start("--masterauth", PASSWORD,
          "--replicaof", "127.0.0.1", Integer.toString(master.port()))) {
        String name = "127.0.0.1:" + replica.port();
        Poll.until(Poll.WAIT, "the replica online", () -> names(events, name).contains("online"));
        assertEquals(List.of("psync", "fullresync", "rdb_sent", "online"), names(events, name));
        JsonObject psync = events.get(0);
        assertTrue(psync.getString("detail").startsWith("PSYNC "), psync.encode());
        JsonObject full = byName(events, "fullresync");
        assertEquals("wait_bgsave", full.getString("state"));
        assertTrue(byName(events, "rdb_sent").getLong("bytes") > 9, "an RDB has at least its header");
        assertEquals("online", byName(events, "online").getString("state"));

        // a cut link: the replica comes back and continues from the backlog
        events.clear();
        assertEquals(":1\r\n", c.call("CLIENT", "KILL", "TYPE", "replica"));
        Poll.until(Poll.WAIT, "the replica online again", () -> names(events, name).lastIndexOf("online") > 0);
        List<String> again = names(events, name);
        assertEquals(List.of("disconnected", "psync", "continue", "online"), again, events.toString());
        JsonObject cont = byName(events, "continue");
        assertTrue(cont.getLong("offset") > 0, cont.encode());

        Poll.until(Poll.WAIT, "two PSYNC spans ended", () -> psyncSpans().size() >= 2);
        List<SpanData> spans = psyncSpans();
        assertEquals("fullresync", attribute(spans.get(0), SpanNames.ATTR_RESULT));
        // the phases of the (diskless) full resynchronization, in order, children of its PSYNC span
        List<String> phases = exporter.getFinishedSpanItems().stream()
            .filter(s -> s.getParentSpanId().equals(spans.get(0).getSpanId()))
            .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos)).map(SpanData::getName).toList();
        assertEquals(List.of(SpanNames.MASTER_WAIT_SNAPSHOT, SpanNames.MASTER_TRANSFER, SpanNames.MASTER_AWAIT_ACK),
            phases);
        assertEquals("continue", attribute(spans.get(1), SpanNames.ATTR_RESULT));
        for (SpanData s : spans) {
          assertEquals(StatusCode.OK, s.getStatus().getStatusCode(), s.toString());
          assertEquals(name, attribute(s, SpanNames.ATTR_REPLICA));
        }
      }
      // the replica went away: a last event says so
      Poll.until(Poll.WAIT, "the disconnection", () -> events.stream().anyMatch(e -> e.getString("event").equals("disconnected")));
      for (JsonObject e : events) assertFalse(e.encode().contains(PASSWORD), e.encode());
      for (SpanData s : exporter.getFinishedSpanItems()) assertFalse(s.toString().contains(PASSWORD), s.toString());
    }
  }

  private List<SpanData> psyncSpans() {
    List<SpanData> r = new ArrayList<>();
    for (SpanData s : exporter.getFinishedSpanItems()) if (s.getName().equals(SpanNames.SERVE_REPLICA)) r.add(s);
    return r;
  }

  private static String attribute(SpanData s, String key) {
    return s.getAttributes().asMap().entrySet().stream().filter(e -> e.getKey().getKey().equals(key))
        .map(e -> String.valueOf(e.getValue())).findFirst().orElse(null);
  }

  private static List<String> names(List<JsonObject> events, String replica) {
    List<String> r = new ArrayList<>();
    for (JsonObject e : events) if (replica.equals(e.getString("replica"))) r.add(e.getString("event"));
    return r;
  }

  private static JsonObject byName(List<JsonObject> events, String name) {
    return events.stream().filter(e -> name.equals(e.getString("event"))).findFirst().orElseThrow();
  }
}
