package dev.vireo.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.OtlpReceiver.Span;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The test receiver reads what a real OTLP exporter sends, OTLP/JSON too, and turns away what it cannot read. */
@Timeout(60)
class OtlpReceiverTest {

  @Test
  void readsWhatTheSdkExporterSends() {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
          .setEndpoint(receiver.endpoint() + "/v1/traces").build();
      SdkTracerProvider provider = SdkTracerProvider.builder()
          .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "svc",
              AttributeKey.longKey("vireo.port"), 1234L)))
          .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
      try {
        Tracer tracer = provider.get("test");
        io.opentelemetry.api.trace.Span root = tracer.spanBuilder("root").setNoParent().startSpan();
        io.opentelemetry.api.trace.Span child = tracer.spanBuilder("child")
            .setParent(Context.root().with(root)).setAttribute("n", 7L).setAttribute("s", "text").startSpan();
        child.addEvent("happened", Attributes.of(AttributeKey.stringKey("why"), "because"));
        child.setStatus(StatusCode.ERROR, "it broke");
        child.end();
        root.setStatus(StatusCode.OK);
        root.end();
        assertTrue(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess(), "exported");
      } finally {
        provider.shutdown().join(10, TimeUnit.SECONDS);
      }

      List<Span> spans = receiver.await(Duration.ofSeconds(10), "two spans",
          l -> l.size() >= 2 ? Optional.of(l) : Optional.empty());
      Span root = spans.stream().filter(s -> s.name().equals("root")).findFirst().orElseThrow();
      Span child = spans.stream().filter(s -> s.name().equals("child")).findFirst().orElseThrow();
      assertTrue(root.isRoot());
      assertEquals("OK", root.status());
      assertEquals(32, root.traceId().length());
      assertEquals(root.traceId(), child.traceId());
      assertEquals(root.spanId(), child.parentSpanId());
      assertEquals(7L, child.attributes().get("n"));
      assertEquals("text", child.attributes().get("s"));
      assertEquals(List.of(new OtlpReceiver.Event("happened", Map.of("why", "because"))), child.events());
      assertEquals("ERROR", child.status());
      assertEquals("it broke", child.statusMessage());
      assertEquals("svc", child.resourceAttribute("service.name"));
      assertEquals(1234L, child.resourceAttribute("vireo.port"));
      assertTrue(child.texts().containsAll(List.of("child", "it broke", "because", "svc", "text")), child.texts()::toString);
      assertEquals(List.of(), receiver.rejected());
    }
  }

  @Test
  void readsOtlpJson() throws Exception {
    String json = """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}},
          {"key":"vireo.port","value":{"intValue":"6380"}}]},
         "scopeSpans":[{"scope":{"name":"t"},"spans":[{"traceId":"5B8EFFF798038103D269B633813FC60C",
          "spanId":"EEE19B7EC3C1B174","parentSpanId":"EEE19B7EC3C1B173","name":"step","kind":1,
          "startTimeUnixNano":"1544712660000000000","endTimeUnixNano":"1544712661000000000",
          "attributes":[{"key":"flag","value":{"boolValue":true}},
            {"key":"list","value":{"arrayValue":{"values":[{"stringValue":"a"},{"intValue":2}]}}}],
          "events":[{"name":"e","attributes":[{"key":"d","value":{"doubleValue":1.5}}]}],
          "status":{"code":2,"message":"bad"}}]}]}]}
        """;
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      assertEquals(200, post(receiver, "application/json", json));
      Span s = receiver.spans().get(0);
      assertEquals("5b8efff798038103d269b633813fc60c", s.traceId());
      assertEquals("eee19b7ec3c1b174", s.spanId());
      assertEquals("eee19b7ec3c1b173", s.parentSpanId());
      assertEquals("step", s.name());
      assertEquals(true, s.attributes().get("flag"));
      assertEquals(List.of("a", 2L), s.attributes().get("list"));
      assertEquals(List.of(new OtlpReceiver.Event("e", Map.of("d", 1.5))), s.events());
      assertEquals("ERROR", s.status());
      assertEquals("bad", s.statusMessage());
      assertEquals(6380L, s.resourceAttribute("vireo.port"));
      assertEquals(1, receiver.requests());
    }
  }

  @Test
  void turnsAwayWhatItCannotRead() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      assertEquals(415, post(receiver, "text/plain", "hello"));
      assertEquals(400, post(receiver, "application/json", "{not json"));
      assertEquals(400, post(receiver, "application/x-protobuf", "\u00ff\u00ff\u00ff"));
      assertEquals(0, receiver.requests());
      assertEquals(3, receiver.rejected().size(), receiver.rejected()::toString);
      assertEquals(List.of(), receiver.spans());
    }
  }

  private static int post(OtlpReceiver receiver, String type, String body) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(receiver.endpoint() + "/v1/traces"))
        .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
