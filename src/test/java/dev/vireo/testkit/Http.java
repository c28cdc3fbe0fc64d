package dev.vireo.testkit;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Plain HTTP to a node's endpoint (or any local HTTP server): GETs with optional Basic credentials, the
 * {@code /api/status} JSON, and a server-sent events reader.
 */
public final class Http {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

  private Http() {}

  /** A node with its HTTP endpoint on a free port ({@link TestNode} turns HTTP off unless told). */
  public static TestNode node(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--http-port", Integer.toString(FreePort.get())));
    return TestNode.start(all.toArray(String[]::new));
  }

  public static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** GET {@code http://127.0.0.1:<port><pathAndQuery>}; an I/O failure (nothing listening yet) is unchecked. */
  public static HttpResponse<String> get(int port, String pathAndQuery) {
    return get(port, pathAndQuery, null);
  }

  public static HttpResponse<String> get(int port, String pathAndQuery, String authorization) {
    return get(URI.create("http://127.0.0.1:" + port + pathAndQuery), authorization);
  }

  public static HttpResponse<String> get(URI uri, String authorization) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT);
    if (authorization != null) b.header("Authorization", authorization);
    try {
      return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + uri + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static JsonObject status(int port) {
    return status(port, null);
  }

  public static JsonObject status(int port, String authorization) {
    HttpResponse<String> r = get(port, "/api/status", authorization);
    if (r.statusCode() != 200) throw new AssertionError("/api/status answered " + r.statusCode() + ": " + r.body());
    return new JsonObject(r.body());
  }

  /** One server-sent event. */
  public record Event(String name, String data) {
    public JsonObject json() {
      return new JsonObject(data);
    }
  }

  /**
   * A {@code text/event-stream} connection read on its own thread: every event lands in a queue, and the raw
   * text is kept so a test can search all of it.
   */
  public static final class EventStreamReader implements AutoCloseable {
    public final int statusCode;
    public final String contentType;
    private final InputStream body;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final StringBuilder raw = new StringBuilder();
    private final List<Event> seen = new ArrayList<>();
    private final Thread reader;

    public EventStreamReader(int port, String authorization) {
      this(port, "/events", authorization);
    }

    /** A stream at another path ({@code /fleet/events}). */
    public EventStreamReader(int port, String path, String authorization) {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .header("Accept", "text/event-stream");
      if (authorization != null) b.header("Authorization", authorization);
      try {
        HttpResponse<InputStream> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        statusCode = r.statusCode();
        contentType = r.headers().firstValue("content-type").orElse("");
        body = r.body();
      } catch (IOException e) {
        throw new UncheckedIOException("GET /events", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      reader = new Thread(this::read, "sse-reader");
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
        String name = "message";
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) {
          synchronized (raw) {
            raw.append(line).append('\n');
          }
          if (line.isEmpty()) {
            if (data.length() > 0) events.add(new Event(name, data.toString()));
            name = "message";
            data.setLength(0);
          } else if (line.startsWith("event:")) {
            name = line.substring(6).trim();
          } else if (line.startsWith("data:")) {
            if (data.length() > 0) data.append('\n');
            data.append(line.substring(5).stripLeading());
          }
        }
      } catch (IOException closed) {
        // the test closed the stream
      }
    }

    /** The next event that matches, skipping (but keeping) the others; fails after {@code within}. */
    public Event next(Duration within, String what, Predicate<Event> wanted) {
      long deadline = System.nanoTime() + within.toNanos();
      while (true) {
        long left = deadline - System.nanoTime();
        Event e;
        try {
          e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          throw new AssertionError(ex);
        }
        if (e == null) throw new AssertionError("no " + what + " within " + within.toSeconds() + " s; saw " + seen);
        seen.add(e);
        if (wanted.test(e)) return e;
      }
    }

    public String rawText() {
      synchronized (raw) {
        return raw.toString();
      }
    }

    @Override
    public void close() {
      try {
        body.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      reader.interrupt();
    }
  }
}
