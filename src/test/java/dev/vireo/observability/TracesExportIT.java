package dev.vireo.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.Cli;
import dev.vireo.testkit.OtlpReceiver;
import dev.vireo.testkit.OtlpReceiver.Span;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.VireoJar;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The jar exports its traces over OTLP/HTTP with its defaults, to an in-test receiver standing in for a collector
 * or Jaeger: a sync attempt arrives as one trace, a span per handshake step under the attempt's root, tagged with
 * the node's resource, and with no password anywhere in it.
 */
@Timeout(180)
class TracesExportIT {
  private static final String PASSWORD = "pw-7f3a9c-never-exported";
  private static final String WRONG_PASSWORD = "wrong-pw-51d0e2-never-exported";
  private static final Duration WITHIN = Duration.ofSeconds(60);
  private static final Set<String> STEPS = Set.of(SpanNames.CONNECT, SpanNames.PING, SpanNames.AUTH,
      SpanNames.REPLCONF, SpanNames.PSYNC, SpanNames.RDB_TRANSFER, SpanNames.RDB_LOAD);

  private OtlpReceiver receiver;

  @BeforeEach
  void startReceiver() {
    receiver = OtlpReceiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  /**
   * Only the endpoint and a short batch delay are given: the protocol is left to Vireo's default, which must be
   * http/protobuf (the receiver speaks nothing else), and the service name too.
   */
  private Map<String, String> exportingEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
    env.put("OTEL_BSP_SCHEDULE_DELAY", "100");
    return env;
  }

  @Test
  void replicaofAgainstRedisWithAPasswordIsOneTraceWithASpanPerStep() {
    try (RedisServerProcess master = RedisServerProcess.start("--requirepass", PASSWORD);
        VireoJar vireo = VireoJar.start(exportingEnv(), "--masterauth", PASSWORD)) {
      master.cli("-a", PASSWORD, "--no-auth-warning", "SET", "k", "v");
      assertEquals("OK", Cli.run(vireo.port(), "REPLICAOF", "127.0.0.1", Integer.toString(master.port())).out());

      Span root = receiver.await(WITHIN, "a successful replication.sync trace with all its steps",
          spans -> syncRoot(spans, vireo.port(), "OK").filter(r -> stepNames(spans, r).containsAll(STEPS)));
      List<Span> trace = inTrace(receiver.spans(), root.traceId());

      assertTrue(root.isRoot(), "the attempt starts its own trace: " + OtlpReceiver.describe(trace));
      List<Span> steps = trace.stream().filter(s -> s != root).toList();
      assertEquals(STEPS.size(), steps.size(), "one span per step: " + OtlpReceiver.describe(trace));
      assertEquals(STEPS, steps.stream().map(Span::name).collect(Collectors.toSet()));
      for (Span step : steps) {
        assertEquals(root.spanId(), step.parentSpanId(), step.name() + " is a child of the attempt");
        assertEquals("UNSET", step.status(), step.name() + " did not fail");
      }
      // every replication span the node exported belongs to this one attempt
      for (Span s : receiver.spans()) {
        if (s.name().startsWith("replication.")) assertEquals(root.traceId(), s.traceId(), s.name());
      }
      assertEquals((long) master.port(), root.attributes().get(SpanNames.ATTR_MASTER_PORT));

      for (Span s : trace) {
        assertEquals("vireo", s.resourceAttribute("service.name"));
        assertEquals((long) vireo.port(), s.resourceAttribute(SpanNames.ATTR_PORT));
        assertEquals("master", s.resourceAttribute(SpanNames.ATTR_ROLE), "the role at start");
        assertTrue(String.valueOf(s.resourceAttribute(SpanNames.RESOURCE_INSTANCE_ID)).endsWith(":" + vireo.port()),
            "service.instance.id is host:port: " + s.resourceAttribute(SpanNames.RESOURCE_INSTANCE_ID));
      }
      assertNoSecret(PASSWORD);
      assertEquals(0, vireo.shutdown(), vireo::output);
      assertTrue(receiver.rejected().isEmpty(), receiver.rejected()::toString);
    }
  }

  @Test
  void aWrongMasterauthFailsTheAuthStepWithTheReasonAndNoPassword() {
    Map<String, String> env = exportingEnv();
    // the standard variables override Vireo's defaults
    env.put("OTEL_SERVICE_NAME", "vireo-replica");
    env.put("OTEL_RESOURCE_ATTRIBUTES", "service.instance.id=replica-b,deployment.environment=test");
    try (RedisServerProcess master = RedisServerProcess.start("--requirepass", PASSWORD);
        VireoJar vireo = VireoJar.start(env,
            "--replicaof", "127.0.0.1", Integer.toString(master.port()), "--masterauth", WRONG_PASSWORD)) {
      Span root = receiver.await(WITHIN, "a failed replication.sync trace with its auth step",
          spans -> syncRoot(spans, vireo.port(), "ERROR")
              .filter(r -> stepNames(spans, r).contains(SpanNames.AUTH)));
      List<Span> trace = inTrace(receiver.spans(), root.traceId());
      for (Span s : trace) {
        if (s != root) assertEquals(root.spanId(), s.parentSpanId(), s.name() + " is a child of the attempt");
      }
      Span auth = trace.stream().filter(s -> s.name().equals(SpanNames.AUTH)).findFirst().orElseThrow();
      assertEquals("ERROR", auth.status(), OtlpReceiver.describe(trace));
      assertTrue(auth.statusMessage().contains("AUTH") && auth.statusMessage().contains("WRONGPASS"),
          "the reason is the master's reply: " + auth.statusMessage());
      assertFalse(trace.stream().anyMatch(s -> s.name().equals(SpanNames.PSYNC)), "no step after the failed one");
      assertEquals("slave", root.resourceAttribute(SpanNames.ATTR_ROLE), "started with replicaof");
      assertEquals((long) vireo.port(), root.resourceAttribute(SpanNames.ATTR_PORT));
      assertEquals("vireo-replica", root.resourceAttribute("service.name"));
      assertEquals("replica-b", root.resourceAttribute(SpanNames.RESOURCE_INSTANCE_ID));
      assertEquals("test", root.resourceAttribute("deployment.environment"));

      assertNoSecret(WRONG_PASSWORD);
      assertNoSecret(PASSWORD);
      assertEquals(0, vireo.shutdown(), vireo::output);
    }
  }

  @Test
  void otelSdkDisabledExportsNothing() {
    Map<String, String> env = exportingEnv();
    env.put("OTEL_SDK_DISABLED", "true");
    try (RedisServerProcess master = RedisServerProcess.start();
        VireoJar vireo = VireoJar.start(env, "--replicaof", "127.0.0.1", Integer.toString(master.port()))) {
      long deadline = System.nanoTime() + WITHIN.toNanos();
      while (!Cli.run(vireo.port(), "INFO", "replication").stdout().contains("master_link_status:up")) {
        assertTrue(System.nanoTime() < deadline, "the link never came up: " + vireo.output());
        Poll.sleep(100); // each look starts a redis-cli process
      }
      // the attempt's spans have ended by now; an enabled SDK would also flush them when the process exits
      assertEquals(0, vireo.shutdown(), vireo::output);
      assertEquals(0, receiver.requests(), OtlpReceiver.describe(receiver.spans()));
      assertEquals(List.of(), receiver.rejected());
    }
  }

  @Test
  void aVireoMasterServingAVireoReplicaJoinsTheReplicasTrace() {
    try (VireoJar master = VireoJar.start(exportingEnv(), "--requirepass", PASSWORD);
        VireoJar replica = VireoJar.start(exportingEnv(), "--masterauth", PASSWORD)) {
      assertEquals("OK", Cli.run(replica.port(), "REPLICAOF", "127.0.0.1", Integer.toString(master.port())).out());

      Span root = receiver.await(WITHIN, "the replica's sync trace with a span of the master in it",
          spans -> syncRoot(spans, replica.port(), "OK").filter(r -> inTrace(spans, r.traceId()).stream()
              .anyMatch(s -> fromNode(s, master.port()) && s.name().equals(SpanNames.SERVE_REPLICA))));
      List<Span> trace = inTrace(receiver.spans(), root.traceId());
      Map<String, Span> byId = trace.stream().collect(Collectors.toMap(Span::spanId, s -> s));

      List<Span> masterSpans = trace.stream().filter(s -> fromNode(s, master.port())).toList();
      assertFalse(masterSpans.isEmpty(), OtlpReceiver.describe(trace));
      for (Span s : masterSpans) {
        assertTrue(descendsFrom(s, root, byId), s.name() + " of the master descends from the replica's attempt: "
            + OtlpReceiver.describe(trace));
        assertEquals("master", s.resourceAttribute(SpanNames.ATTR_ROLE));
      }
      assertTrue(trace.stream().anyMatch(s -> fromNode(s, replica.port()) && STEPS.contains(s.name())),
          "the replica's steps are in the same trace");
      assertNoSecret(PASSWORD);
      assertEquals(0, replica.shutdown(), replica::output);
      assertEquals(0, master.shutdown(), master::output);
    }
  }

  // ----------------------------------------------------------------------------------------------- helpers

  /** The latest sync root of the node on {@code port} that ended with {@code status}. */
  private static Optional<Span> syncRoot(List<Span> spans, int port, String status) {
    return spans.stream()
        .filter(s -> s.name().equals(SpanNames.SYNC) && s.status().equals(status) && fromNode(s, port))
        .reduce((first, second) -> second);
  }

  private static Set<String> stepNames(List<Span> spans, Span root) {
    return spans.stream().filter(s -> s.parentSpanId().equals(root.spanId())).map(Span::name)
        .collect(Collectors.toSet());
  }

  private static List<Span> inTrace(List<Span> spans, String traceId) {
    return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
  }

  private static boolean fromNode(Span s, int port) {
    return Long.valueOf(port).equals(s.resourceAttribute(SpanNames.ATTR_PORT));
  }

  private static boolean descendsFrom(Span s, Span ancestor, Map<String, Span> byId) {
    Span at = s;
    for (int hops = 0; at != null && hops < 64; hops++) {
      if (at.parentSpanId().equals(ancestor.spanId())) return true;
      at = byId.get(at.parentSpanId());
    }
    return false;
  }

  /** Neither any text of any span received nor any raw byte on the wire holds the secret. */
  private void assertNoSecret(String secret) {
    for (Span s : receiver.spans()) {
      for (String text : s.texts()) {
        assertFalse(text.contains(secret), "span " + s.name() + " holds a password in '" + text + "'");
      }
    }
    byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
    for (byte[] body : receiver.bodies()) {
      assertFalse(contains(body, needle), "an export request carries a password");
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) continue outer;
      }
      return true;
    }
    return false;
  }
}
