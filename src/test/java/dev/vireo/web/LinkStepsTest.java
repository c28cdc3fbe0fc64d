package dev.vireo.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fold from REPL_STATE_* events to the seven steps, fed the event sequences ReplicaLink publishes. */
class LinkStepsTest {

  private static JsonObject ev(String previous, String state, long elapsed, String error) {
    JsonObject e = new JsonObject().put("state", state).put("previous", previous).put("master_host", "10.0.0.9")
        .put("master_port", 6380).put("attempt", 1).put("elapsed_ms", elapsed);
    if (error != null) e.put("error", error);
    return e;
  }

  private static List<String> statuses(LinkSteps s) {
    return s.toJson().getJsonArray("steps").stream().map(o -> ((JsonObject) o).getString("status")).toList();
  }

  private static JsonObject step(LinkSteps s, int i) {
    return s.toJson().getJsonArray("steps").getJsonObject(i);
  }

  @Test
  void fullSyncWithAuth() {
    LinkSteps s = new LinkSteps();
    s.accept(ev("NONE", "CONNECT", 0, null));
    assertEquals(List.of("pending", "pending", "pending", "pending", "pending", "pending", "pending"), statuses(s));
    s.accept(ev("CONNECT", "CONNECTING", 0, null));
    assertEquals("active", step(s, 0).getString("status"));
    s.accept(ev("CONNECTING", "RECEIVE_PING_REPLY", 3, null));
    s.accept(ev("RECEIVE_PING_REPLY", "SEND_HANDSHAKE", 5, null));
    assertEquals(List.of("done", "done", "pending", "pending", "pending", "pending", "pending"), statuses(s));
    assertEquals(3, step(s, 0).getLong("duration_ms"));
    assertEquals(2, step(s, 1).getLong("duration_ms"));
    s.accept(ev("SEND_HANDSHAKE", "RECEIVE_AUTH_REPLY", 5, null));
    s.accept(ev("RECEIVE_AUTH_REPLY", "RECEIVE_PORT_REPLY", 9, null));
    s.accept(ev("RECEIVE_PORT_REPLY", "RECEIVE_IP_REPLY", 10, null));
    s.accept(ev("RECEIVE_IP_REPLY", "RECEIVE_CAPA_REPLY", 11, null));
    s.accept(ev("RECEIVE_CAPA_REPLY", "SEND_PSYNC", 12, null));
    s.accept(ev("SEND_PSYNC", "RECEIVE_PSYNC_REPLY", 12, null));
    assertEquals(4, step(s, 2).getLong("duration_ms"));
    assertEquals(3, step(s, 3).getLong("duration_ms"), "REPLCONF spans port, ip and capa");
    s.accept(ev("RECEIVE_PSYNC_REPLY", "TRANSFER", 20, null));
    s.accept(ev("TRANSFER", "CONNECTED", 120, null));
    assertEquals(List.of("done", "done", "done", "done", "done", "done", "done"), statuses(s));
    assertEquals(8, step(s, 4).getLong("duration_ms"));
    assertEquals(100, step(s, 5).getLong("duration_ms"));
    assertEquals(120, s.toJson().getLong("total_ms"));
    assertEquals("CONNECTED", s.toJson().getString("state"));
  }

  @Test
  void partialResyncWithoutAuthSkipsTwoSteps() {
    LinkSteps s = new LinkSteps();
    s.accept(ev("CONNECT", "CONNECTING", 0, null));
    s.accept(ev("CONNECTING", "RECEIVE_PING_REPLY", 1, null));
    s.accept(ev("RECEIVE_PING_REPLY", "SEND_HANDSHAKE", 2, null));
    s.accept(ev("SEND_HANDSHAKE", "RECEIVE_PORT_REPLY", 2, null));
    s.accept(ev("RECEIVE_PORT_REPLY", "RECEIVE_CAPA_REPLY", 3, null));
    s.accept(ev("RECEIVE_CAPA_REPLY", "SEND_PSYNC", 4, null));
    s.accept(ev("SEND_PSYNC", "RECEIVE_PSYNC_REPLY", 4, null));
    s.accept(ev("RECEIVE_PSYNC_REPLY", "CONNECTED", 6, null));
    assertEquals(List.of("done", "done", "skipped", "done", "done", "skipped", "done"), statuses(s));
    assertNull(step(s, 2).getValue("duration_ms"));
  }

  @Test
  void wrongPasswordFailsTheAuthStepAndANewAttemptStartsClean() {
    LinkSteps s = new LinkSteps();
    s.accept(ev("CONNECT", "CONNECTING", 0, null));
    s.accept(ev("CONNECTING", "RECEIVE_PING_REPLY", 1, null));
    s.accept(ev("RECEIVE_PING_REPLY", "SEND_HANDSHAKE", 2, null));
    s.accept(ev("SEND_HANDSHAKE", "RECEIVE_AUTH_REPLY", 2, null));
    String why = "Unable to AUTH to MASTER: -WRONGPASS invalid username-password pair";
    s.accept(ev("RECEIVE_AUTH_REPLY", "CONNECT", 5, why));
    assertEquals(List.of("done", "done", "failed", "pending", "pending", "pending", "pending"), statuses(s));
    assertEquals(why, step(s, 2).getString("error"));
    assertEquals(3, step(s, 2).getLong("duration_ms"));
    JsonObject failure = s.toJson().getJsonObject("last_failure");
    assertEquals("auth", failure.getString("step"));
    assertEquals(why, failure.getString("error"));

    s.accept(ev("CONNECT", "CONNECTING", 0, null).put("attempt", 2));
    assertEquals(List.of("active", "pending", "pending", "pending", "pending", "pending", "pending"), statuses(s));
    assertEquals(why, s.toJson().getJsonObject("last_failure").getString("error"), "kept until the link is up");
    assertEquals(2, s.toJson().getInteger("attempt"));
  }

  @Test
  void refusedConnectionAndLostStream() {
    LinkSteps s = new LinkSteps();
    s.accept(ev("CONNECT", "CONNECTING", 0, null));
    s.accept(ev("CONNECTING", "CONNECT", 2, "Error condition on socket for SYNC: Connection refused"));
    assertEquals("failed", step(s, 0).getString("status"));

    s.accept(ev("CONNECT", "CONNECTING", 0, null));
    s.accept(ev("CONNECTING", "RECEIVE_PING_REPLY", 1, null));
    s.accept(ev("RECEIVE_PSYNC_REPLY", "CONNECTED", 9, null));
    assertNull(s.toJson().getValue("last_failure"));
    s.accept(ev("CONNECTED", "CONNECT", 60_000, "Connection with master lost"));
    assertEquals("failed", step(s, 6).getString("status"));
    assertEquals("online", s.toJson().getJsonObject("last_failure").getString("step"));

    s.accept(ev("CONNECT", "NONE", 0, null));
    assertNull(s.toJson().getValue("host"));
    assertEquals("NONE", s.toJson().getString("state"));
  }
}
