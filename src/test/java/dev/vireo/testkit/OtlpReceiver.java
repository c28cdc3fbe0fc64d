package dev.vireo.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace receiver for tests, in place of a collector or Jaeger: {@code POST /v1/traces} on a free
 * loopback port, the body an {@code ExportTraceServiceRequest} as protobuf ({@code application/x-protobuf}) or as
 * OTLP/JSON ({@code application/json}), gzip or plain. Every span received is kept, flattened with its resource,
 * for assertions; so is every raw body, so that a test can scan the bytes on the wire too.
 */
public final class OtlpReceiver implements AutoCloseable {
  private static final String PROTOBUF = "application/x-protobuf";
  private static final String JSON = "application/json";

  private final HttpServer server;
  private final List<Span> spans = Collections.synchronizedList(new ArrayList<>());
  private final List<byte[]> bodies = Collections.synchronizedList(new ArrayList<>());
  private final List<String> rejected = Collections.synchronizedList(new ArrayList<>());

  /** One event of a span. */
  public record Event(String name, Map<String, Object> attributes) {}

  /**
   * One received span. Ids are lower-case hex; {@code parentSpanId} is empty for a root. {@code status} is
   * {@code UNSET}, {@code OK} or {@code ERROR}. Attribute values are String, Long, Double, Boolean, List or Map.
   */
  public record Span(String traceId, String spanId, String parentSpanId, String name, Map<String, Object> attributes,
      List<Event> events, String status, String statusMessage, Map<String, Object> resource) {

    public boolean isRoot() {
      return parentSpanId.isEmpty();
    }

    public Object resourceAttribute(String key) {
      return resource.get(key);
    }

    /** Every text the span carries: names, keys, values, events, status message and resource. */
    public List<String> texts() {
      List<String> out = new ArrayList<>(List.of(name, statusMessage));
      addTexts(attributes, out);
      addTexts(resource, out);
      for (Event e : events) {
        out.add(e.name());
        addTexts(e.attributes(), out);
      }
      return out;
    }

    private static void addTexts(Object value, List<String> out) {
      if (value instanceof Map<?, ?> m) {
        m.forEach((k, v) -> {
          out.add(String.valueOf(k));
          addTexts(v, out);
        });
      } else if (value instanceof List<?> l) {
        l.forEach(v -> addTexts(v, out));
      } else {
        out.add(String.valueOf(value));
      }
    }
  }

  private OtlpReceiver(HttpServer server) {
    this.server = server;
  }

  /** Starts a receiver on a free loopback port. */
  public static OtlpReceiver start() {
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the OTLP receiver", e);
    }
    OtlpReceiver receiver = new OtlpReceiver(http);
    http.createContext("/v1/traces", receiver::handle);
    http.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "otlp-receiver");
      t.setDaemon(true);
      return t;
    }));
    http.start();
    return receiver;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The base URL to give an exporter as {@code OTEL_EXPORTER_OTLP_ENDPOINT} (it appends {@code /v1/traces}). */
  public String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  /** A snapshot of every span received so far, in arrival order. */
  public List<Span> spans() {
    synchronized (spans) {
      return List.copyOf(spans);
    }
  }

  /** How many export requests were accepted. */
  public int requests() {
    return bodies.size();
  }

  /** Every accepted request body as received (still gzip-compressed if it was sent so). */
  public List<byte[]> bodies() {
    synchronized (bodies) {
      return List.copyOf(bodies);
    }
  }

  /** Requests that could not be read (wrong path, method, media type or a malformed body), described. */
  public List<String> rejected() {
    synchronized (rejected) {
      return List.copyOf(rejected);
    }
  }

  /**
   * Polls the received spans until {@code found} yields a value, and returns it; fails after {@code within} with
   * what was received meanwhile.
   */
  public <T> T await(Duration within, String what, Function<List<Span>, Optional<T>> found) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      Optional<T> result = found.apply(spans());
      if (result.isPresent()) return result.get();
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " within " + within.toSeconds() + " s; received "
            + describe(spans()) + "; rejected " + rejected());
      }
      Poll.sleep(50);
    }
  }

  /** A short listing of spans for failure messages. */
  public static String describe(List<Span> list) {
    StringBuilder b = new StringBuilder().append(list.size()).append(" spans");
    for (Span s : list) {
      b.append("\n  ").append(s.name()).append(" trace=").append(s.traceId()).append(" span=").append(s.spanId())
          .append(" parent=").append(s.parentSpanId()).append(' ').append(s.status())
          .append(s.statusMessage().isEmpty() ? "" : " (" + s.statusMessage() + ")")
          .append(" port=").append(s.resourceAttribute("vireo.port"));
    }
    return b.toString();
  }

  @Override
  public void close() {
    server.stop(0);
    ((ExecutorService) server.getExecutor()).shutdownNow();
  }

  // ------------------------------------------------------------------------------------------- the handler

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String type = mediaType(exchange.getRequestHeaders().getFirst("Content-Type"));
      if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath().equals("/v1/traces")) {
        reject(exchange, 404, exchange.getRequestMethod() + " " + exchange.getRequestURI());
        return;
      }
      List<Span> received;
      try {
        byte[] plain = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
            ? gunzip(body) : body;
        if (type.equals(PROTOBUF)) {
          received = fromProtobuf(ExportTraceServiceRequest.parseFrom(plain));
        } else if (type.equals(JSON)) {
          received = fromJson(new JsonObject(new String(plain, StandardCharsets.UTF_8)));
        } else {
          reject(exchange, 415, "media type '" + type + "'");
          return;
        }
      } catch (IOException | RuntimeException e) {
        reject(exchange, 400, "malformed " + type + " body: " + e);
        return;
      }
      bodies.add(body);
      spans.addAll(received);
      // an empty ExportTraceServiceResponse: full success
      byte[] reply = type.equals(PROTOBUF)
          ? ExportTraceServiceResponse.getDefaultInstance().toByteArray()
          : "{}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(200, reply.length == 0 ? -1 : reply.length);
      if (reply.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(reply);
        }
      }
    }
  }

  private void reject(HttpExchange exchange, int status, String why) throws IOException {
    rejected.add(status + " " + why);
    exchange.sendResponseHeaders(status, -1);
  }

  private static String mediaType(String header) {
    if (header == null) return "";
    int semi = header.indexOf(';');
    return (semi < 0 ? header : header.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  private static byte[] gunzip(byte[] body) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return in.readAllBytes();
    }
  }

  // ------------------------------------------------------------------------------------------- protobuf

  private static List<Span> fromProtobuf(ExportTraceServiceRequest request) {
    HexFormat hex = HexFormat.of();
    List<Span> out = new ArrayList<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      Map<String, Object> resource = attributes(rs.getResource().getAttributesList());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (io.opentelemetry.proto.trace.v1.Span s : ss.getSpansList()) {
          List<Event> events = new ArrayList<>();
          for (io.opentelemetry.proto.trace.v1.Span.Event e : s.getEventsList()) {
            events.add(new Event(e.getName(), attributes(e.getAttributesList())));
          }
          out.add(new Span(hex.formatHex(s.getTraceId().toByteArray()), hex.formatHex(s.getSpanId().toByteArray()),
              hex.formatHex(s.getParentSpanId().toByteArray()), s.getName(), attributes(s.getAttributesList()),
              List.copyOf(events), statusName(s.getStatus().getCodeValue()), s.getStatus().getMessage(), resource));
        }
      }
    }
    return out;
  }

  private static Map<String, Object> attributes(List<KeyValue> list) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (KeyValue kv : list) out.put(kv.getKey(), value(kv.getValue()));
    return Collections.unmodifiableMap(out);
  }

  private static Object value(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> v.getBoolValue();
      case INT_VALUE -> v.getIntValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().map(OtlpReceiver::value).toList();
      case KVLIST_VALUE -> attributes(v.getKvlistValue().getValuesList());
      case BYTES_VALUE -> HexFormat.of().formatHex(v.getBytesValue().toByteArray());
      default -> "";
    };
  }

  private static String statusName(int code) {
    return switch (code) {
      case 1 -> "OK";
      case 2 -> "ERROR";
      default -> "UNSET";
    };
  }

  // ------------------------------------------------------------------------------------------- OTLP/JSON

  /**
   * OTLP/JSON differs from protobuf's own JSON mapping: ids are hex strings, enums are integers, 64-bit integers
   * may be strings; field names are lowerCamelCase.
   */
  private static List<Span> fromJson(JsonObject request) {
    List<Span> out = new ArrayList<>();
    for (JsonObject rs : objects(request.getJsonArray("resourceSpans"))) {
      JsonObject res = rs.getJsonObject("resource", new JsonObject());
      Map<String, Object> resource = attributes(res.getJsonArray("attributes"));
      for (JsonObject ss : objects(rs.getJsonArray("scopeSpans"))) {
        for (JsonObject s : objects(ss.getJsonArray("spans"))) {
          List<Event> events = new ArrayList<>();
          for (JsonObject e : objects(s.getJsonArray("events"))) {
            events.add(new Event(e.getString("name", ""), attributes(e.getJsonArray("attributes"))));
          }
          JsonObject status = s.getJsonObject("status", new JsonObject());
          out.add(new Span(s.getString("traceId", "").toLowerCase(Locale.ROOT),
              s.getString("spanId", "").toLowerCase(Locale.ROOT),
              s.getString("parentSpanId", "").toLowerCase(Locale.ROOT), s.getString("name", ""),
              attributes(s.getJsonArray("attributes")), List.copyOf(events),
              statusName(((Number) status.getValue("code", 0)).intValue()), status.getString("message", ""),
              resource));
        }
      }
    }
    return out;
  }

  private static List<JsonObject> objects(JsonArray array) {
    List<JsonObject> out = new ArrayList<>();
    if (array != null) {
      for (int i = 0; i < array.size(); i++) out.add(array.getJsonObject(i));
    }
    return out;
  }

  private static Map<String, Object> attributes(JsonArray list) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (JsonObject kv : objects(list)) out.put(kv.getString("key"), value(kv.getJsonObject("value", new JsonObject())));
    return Collections.unmodifiableMap(out);
  }

  private static Object value(JsonObject v) {
    if (v.containsKey("stringValue")) return v.getString("stringValue");
    if (v.containsKey("boolValue")) return v.getBoolean("boolValue");
    if (v.containsKey("intValue")) return Long.parseLong(String.valueOf(v.getValue("intValue")));
    if (v.containsKey("doubleValue")) return Double.parseDouble(String.valueOf(v.getValue("doubleValue")));
    if (v.containsKey("arrayValue")) {
      return objects(v.getJsonObject("arrayValue").getJsonArray("values")).stream().map(OtlpReceiver::value).toList();
    }
    if (v.containsKey("kvlistValue")) return attributes(v.getJsonObject("kvlistValue").getJsonArray("values"));
    if (v.containsKey("bytesValue")) {
      return HexFormat.of().formatHex(Base64.getDecoder().decode(v.getString("bytesValue")));
    }
    return "";
  }
}
