package dev.vireo.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.Images;
import dev.vireo.testkit.Http;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The stack's trace path for real: a Vireo node exports OTLP to a real Jaeger v2 (the image the compose file
 * runs), makes a REPLICAOF handshake with a real Redis 7.0 master, and the trace is found through Jaeger's query
 * API with a span per step under the sync attempt. Needs a Docker engine: skipped without one.
 */
@Testcontainers(disabledWithoutDocker = true)
@Timeout(300)
class JaegerContainerIT {
  static final int OTLP_GRPC = 4317;
  static final int UI = 16686;

  @Container
  static final GenericContainer<?> JAEGER = new GenericContainer<>(DockerImageName.parse(Images.JAEGER))
      .withEnv("JAEGER_LISTEN_HOST", "0.0.0.0")
      .withExposedPorts(OTLP_GRPC, UI)
      .waitingFor(Wait.forHttp("/").forPort(UI).withStartupTimeout(Duration.ofMinutes(2)));

  /** Jaeger's query API as JSON; empty while it does not answer (yet). */
  static JsonObject getJson(String url) {
    try {
      HttpResponse<String> r = Http.get(URI.create(url), null);
      return r.statusCode() == 200 ? new JsonObject(r.body()) : new JsonObject();
    } catch (UncheckedIOException e) {
      return new JsonObject();
    }
  }

  @Test
  void aReplicaofHandshakeIsOneTraceInJaeger() throws Exception {
    String service = "vireo-it-" + UUID.randomUUID().toString().substring(0, 8);
    SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(
            Attributes.of(AttributeKey.stringKey("service.name"), service))))
        .addSpanProcessor(SimpleSpanProcessor.create(OtlpGrpcSpanExporter.builder()
            .setEndpoint("http://" + JAEGER.getHost() + ":" + JAEGER.getMappedPort(OTLP_GRPC)).build()))
        .build();
    Tracing.use(OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build());
    try (RedisServerProcess redis = RedisServerProcess.start("--repl-diskless-sync-delay", "0");
        TestNode node = TestNode.start();
        RespClient r = node.client()) {
      try (RespClient m = redis.client()) {
        m.call("SET", "k", "v");
      }
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(redis.port())));
      Poll.until(Duration.ofSeconds(30), "the link up",
          () -> r.call("INFO", "replication").contains("master_link_status:up"));
      tracerProvider.forceFlush().join(10, TimeUnit.SECONDS);

      String query = "http://" + JAEGER.getHost() + ":" + JAEGER.getMappedPort(UI) + "/api/traces?service=" + service
          + "&operation=" + SpanNames.SYNC;
      JsonObject trace = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (trace == null) {
        JsonArray data = getJson(query).getJsonArray("data", new JsonArray());
        for (Object t : data) {
          JsonObject candidate = (JsonObject) t;
          if (operations(candidate).contains(SpanNames.RDB_LOAD)) trace = candidate;
        }
        if (trace == null) {
          assertTrue(System.nanoTime() < deadline, "no complete sync trace in Jaeger: " + getJson(query).encode());
          Poll.sleep(500);
        }
      }
      assertTrue(operations(trace).containsAll(Set.of(SpanNames.SYNC, SpanNames.CONNECT, SpanNames.PING,
          SpanNames.REPLCONF, SpanNames.PSYNC, SpanNames.RDB_TRANSFER, SpanNames.RDB_LOAD)), operations(trace)::toString);
      String rootId = trace.getJsonArray("spans").stream().map(JsonObject.class::cast)
          .filter(span -> span.getString("operationName").equals(SpanNames.SYNC)).findFirst().orElseThrow()
          .getString("spanID");
      for (Object s : trace.getJsonArray("spans")) {
        JsonObject span = (JsonObject) s;
        if (span.getString("operationName").equals(SpanNames.SYNC)) continue;
        JsonArray refs = span.getJsonArray("references", new JsonArray());
        assertTrue(refs.stream().map(JsonObject.class::cast)
            .anyMatch(ref -> "CHILD_OF".equals(ref.getString("refType")) && ref.getString("spanID").equals(rootId)),
            span.getString("operationName") + " is a child of the attempt: " + refs.encode());
      }
      JsonObject process = trace.getJsonObject("processes").getJsonObject(
          trace.getJsonArray("spans").getJsonObject(0).getString("processID"));
      assertEquals(service, process.getString("serviceName"));
    } finally {
      Tracing.use(OpenTelemetry.noop());
      tracerProvider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  private static Set<String> operations(JsonObject trace) {
    Set<String> out = new TreeSet<>();
    for (Object s : trace.getJsonArray("spans", new JsonArray())) {
      out.add(((JsonObject) s).getString("operationName"));
    }
    return out;
  }
}
