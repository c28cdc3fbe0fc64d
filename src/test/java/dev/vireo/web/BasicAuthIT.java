package dev.vireo.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.Http;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code requirepass} guards the web endpoint with HTTP Basic, and no password ever shows. */
@Timeout(120)
class BasicAuthIT {
  private static final String PASSWORD = "Web-Pass-3e8d51";
  private static final String MASTER_PASSWORD = "Master-Pass-c07b2a";
  private static final List<String> GUARDED = List.of("/", "/index.html", "/status.js", "/status.css",
      "/api/status", "/events", "/no-such-page");
  /** Attempts after a failed one back off (1 s, 2 s, 4 s...): allow for a few retries. */
  private static final Duration RETRY_WAIT = Duration.ofSeconds(60);

  @Test
  void everythingButHealthAndMetricsAsksForThePassword() {
    try (TestNode node = Http.node("--requirepass", PASSWORD)) {
      int port = node.httpPort();
      for (String path : GUARDED) {
        HttpResponse<String> r = Http.get(port, path);
        assertEquals(401, r.statusCode(), path);
        assertEquals("Basic realm=\"vireo\", charset=\"UTF-8\"",
            r.headers().firstValue("www-authenticate").orElse(""), path);
        assertEquals(401, Http.get(port, path, Http.basic("default", "wrong")).statusCode(), path);
        assertEquals(401, Http.get(port, path, Http.basic("admin", PASSWORD)).statusCode(), path);
        assertEquals(401, Http.get(port, path, "Basic !!!not-base64").statusCode(), path);
      }
      String auth = Http.basic("default", PASSWORD);
      assertEquals(200, Http.get(port, "/", auth).statusCode());
      assertTrue(Http.get(port, "/", auth).body().contains("<title>Vireo status</title>"));
      assertEquals(200, Http.get(port, "/status.js", auth).statusCode());
      assertEquals(200, Http.get(port, "/api/status", auth).statusCode());
      assertEquals(404, Http.get(port, "/no-such-page", auth).statusCode());
      try (Http.EventStreamReader events = new Http.EventStreamReader(port, auth)) {
        assertEquals(200, events.statusCode);
        events.next(Poll.WAIT, "the snapshot", e -> e.name().equals("snapshot"));
      }

      // open for probes and scrapers
      assertEquals(200, Http.get(port, "/health").statusCode());
      assertNotEquals(401, Http.get(port, "/metrics").statusCode());
    }
  }

  @Test
  void configSetRequirepassTakesEffectAtOnce() {
    try (TestNode node = Http.node(); RespClient c = node.client()) {
      int port = node.httpPort();
      assertEquals(200, Http.get(port, "/api/status").statusCode(), "no requirepass: open");
      assertEquals("+OK\r\n", c.call("CONFIG", "SET", "requirepass", PASSWORD));
      assertEquals(401, Http.get(port, "/api/status").statusCode());
      assertEquals(200, Http.get(port, "/api/status", Http.basic("default", PASSWORD)).statusCode());
      c.call("AUTH", PASSWORD);
      assertEquals("+OK\r\n", c.call("CONFIG", "SET", "requirepass", "Second-" + PASSWORD));
      assertEquals(401, Http.get(port, "/api/status", Http.basic("default", PASSWORD)).statusCode());
      assertEquals(200, Http.get(port, "/api/status", Http.basic("default", "Second-" + PASSWORD)).statusCode());
      assertEquals("+OK\r\n", c.call("CONFIG", "SET", "requirepass", ""));
      assertEquals(200, Http.get(port, "/api/status").statusCode());
    }
  }

  /** Neither requirepass nor masterauth shows in any answer or event, even while a link fails and succeeds. */
  @Test
  void noPasswordInAnyPageEndpointOrEvent() {
    try (RedisServerProcess redis = RedisServerProcess.start("--requirepass", MASTER_PASSWORD,
            "--repl-diskless-sync-delay", "0");
        TestNode node = Http.node("--requirepass", PASSWORD, "--masterauth", "Wrong-" + MASTER_PASSWORD);
        RespClient c = node.client()) {
      int port = node.httpPort();
      String auth = Http.basic("default", PASSWORD);
      c.call("AUTH", PASSWORD);
      try (Http.EventStreamReader events = new Http.EventStreamReader(port, auth)) {
        events.next(Poll.WAIT, "the snapshot", e -> e.name().equals("snapshot"));
        assertEquals("+OK\r\n", c.call("REPLICAOF", "127.0.0.1", Integer.toString(redis.port())));
        events.next(Poll.WAIT, "the failed AUTH", e -> e.name().equals("link")
            && e.json().getJsonObject("event").getString("error", "").contains("WRONGPASS"));
        String failedStatus = Http.get(port, "/api/status", auth).body();
        assertTrue(failedStatus.contains("WRONGPASS"), failedStatus);

        assertEquals("+OK\r\n", c.call("CONFIG", "SET", "masterauth", MASTER_PASSWORD));
        events.next(RETRY_WAIT, "the link online", e -> e.name().equals("link")
            && "CONNECTED".equals(e.json().getJsonObject("event").getString("state")));
        events.next(Poll.WAIT, "a status", e -> e.name().equals("status"));

        StringBuilder everything = new StringBuilder(events.rawText());
        for (String path : List.of("/", "/status.js", "/status.css", "/api/status", "/health")) {
          everything.append(Http.get(port, path, auth).body());
        }
        everything.append(Http.get(port, "/api/status").body()); // the 401 page too
        String text = everything.toString();
        assertTrue(text.contains("\"state\":\"CONNECTED\""), "the stream was read");
        for (String secret : List.of(PASSWORD, MASTER_PASSWORD, "Wrong-" + MASTER_PASSWORD)) {
          assertFalse(text.contains(secret), "a password shows in the web answers");
        }
      }
    }
  }
}
