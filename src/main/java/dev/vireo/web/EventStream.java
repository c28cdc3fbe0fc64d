package dev.vireo.web;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The browsers following {@code /events} (server-sent events, {@code text/event-stream}): each gets every pushed
 * message as {@code event: NAME} plus one {@code data:} line of JSON. A browser that does not keep up (its write
 * queue full) is dropped; its EventSource reconnects and starts again from a fresh snapshot.
 *
 * <p>Used on the HTTP verticle's event loop only.
 */
final class EventStream {
  private final Set<HttpServerResponse> open = new LinkedHashSet<>();

  /** Starts the stream on a response: headers, the reconnection delay, then {@code first} as a message. */
  void open(HttpServerResponse response, String firstEvent, JsonObject first) {
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    response.write("retry: 2000\n\n");
    response.write(frame(firstEvent, first));
    open.add(response);
    response.closeHandler(v -> open.remove(response));
    response.exceptionHandler(e -> open.remove(response));
  }

  boolean isEmpty() {
    return open.isEmpty();
  }

  void push(String event, JsonObject data) {
    if (open.isEmpty()) return;
    String text = frame(event, data);
    for (HttpServerResponse r : open.toArray(HttpServerResponse[]::new)) {
      if (r.closed() || r.ended()) {
        open.remove(r);
      } else if (r.writeQueueFull()) {
        open.remove(r);
        r.reset();
      } else {
        r.write(text);
      }
    }
  }

  /** Ends every stream (the endpoint is closing). */
  void closeAll() {
    for (HttpServerResponse r : open) {
      if (!r.closed() && !r.ended()) r.end();
    }
    open.clear();
  }

  /** JSON encodes without line breaks, so one {@code data:} line carries it whole. */
  private static String frame(String event, JsonObject data) {
    return "event: " + event + "\ndata: " + data.encode() + "\n\n";
  }
}
