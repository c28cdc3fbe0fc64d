package dev.vireo.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.observability.SpanNames;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.SpanCapture;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every synchronization attempt is one trace: a root span and a child span per step, the failing step marked as
 * the error, and no password anywhere in spans, attributes or events.
 */
@Timeout(90)
class ReplicaTracingIT {
  private static final String PASSWORD = "s3cret-pass";
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
  void aFailedAndASuccessfulAttemptAsTraces() throws Exception {
    try (RedisServerProcess master = RedisServerProcess.start("--requirepass", PASSWORD);
        TestNode n = TestNode.start("--masterauth", "wrong-one");
        RespClient r = n.client()) {
      try (RespClient m = master.client()) {
        m.call("AUTH", PASSWORD);
        m.call("SET", "k", "v");
      }
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port())));
      SpanData failed = await(() -> roots(StatusCode.ERROR), "a failed attempt");
      List<SpanData> failedSteps = childrenOf(failed);
      SpanData auth = failedSteps.stream().filter(s -> s.getName().equals(SpanNames.AUTH)).findFirst().orElseThrow();
      assertEquals(StatusCode.ERROR, auth.getStatus().getStatusCode(), "the failure is on the auth step");

      assertEquals("+OK\r\n", r.call("CONFIG", "SET", "masterauth", PASSWORD));
      SpanData ok = await(() -> roots(StatusCode.OK), "a successful attempt");
      Set<String> steps = childrenOf(ok).stream().map(SpanData::getName).collect(Collectors.toSet());
      assertEquals(Set.of(SpanNames.CONNECT, SpanNames.PING, SpanNames.AUTH, SpanNames.REPLCONF, SpanNames.PSYNC,
          SpanNames.RDB_TRANSFER, SpanNames.RDB_LOAD), steps);
      for (SpanData s : childrenOf(ok)) assertEquals(ok.getTraceId(), s.getTraceId());
      assertEquals(String.valueOf(master.port()),
          String.valueOf(ok.getAttributes().asMap().entrySet().stream()
              .filter(e -> e.getKey().getKey().equals(SpanNames.ATTR_MASTER_PORT)).findFirst().orElseThrow()
              .getValue()));
      assertTrue(ok.getAttributes().asMap().keySet().stream().anyMatch(k -> k.getKey().equals(SpanNames.ATTR_REPLID)));
      Object rdbBytes = ok.getAttributes().asMap().entrySet().stream()
          .filter(e -> e.getKey().getKey().equals(SpanNames.ATTR_RDB_BYTES)).findFirst().orElseThrow().getValue();
      assertTrue((Long) rdbBytes > 9, "an RDB has at least its header: " + rdbBytes);
      Object keys = ok.getAttributes().asMap().entrySet().stream()
          .filter(e -> e.getKey().getKey().equals(SpanNames.ATTR_KEYS_LOADED)).findFirst().orElseThrow().getValue();
      assertEquals(1L, keys);
      for (SpanData s : exporter.getFinishedSpanItems()) {
        String all = s.toString();
        assertFalse(all.contains(PASSWORD), "a span shows the password: " + s.getName());
        assertFalse(all.contains("wrong-one"), "a span shows a password: " + s.getName());
      }
    }
  }

  private List<SpanData> roots(StatusCode status) {
    return exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals(SpanNames.SYNC) && s.getStatus().getStatusCode() == status)
        .collect(Collectors.toList());
  }

  private List<SpanData> childrenOf(SpanData root) {
    return exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getParentSpanId().equals(root.getSpanId()))
        .collect(Collectors.toList());
  }

  private static SpanData await(Supplier<List<SpanData>> found, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      List<SpanData> l = found.get();
      if (!l.isEmpty()) return l.get(0);
      Thread.sleep(20);
    }
    throw new AssertionError("never saw " + what);
  }
}
