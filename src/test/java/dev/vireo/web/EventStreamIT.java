package dev.vireo.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.bus.Addresses;
import dev.vireo.testkit.FreePort;
import dev.vireo.testkit.Http;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code /events}: server-sent events pushed from the event bus, read over real HTTP. */
@Timeout(120)
class EventStreamIT {

  @Test
  void snapshotThenStatusEverySecond() {
    try (TestNode node = Http.node(); RespClient c = node.client();
        Http.EventStreamReader events = new Http.EventStreamReader(node.httpPort(), null)) {
      assertEquals(200, events.statusCode);
      assertTrue(events.contentType.startsWith("text/event-stream"), events.contentType);
      JsonObject snapshot = events.next(Poll.WAIT, "the snapshot", e -> e.name().equals("snapshot")).json();
      assertEquals("master", snapshot.getString("role"));
      assertTrue(snapshot.containsKey("lag_history") && snapshot.containsKey("events"));
      c.call("SET", "pushed", "1");
      JsonObject status = events.next(Poll.WAIT, "a status with the new key",
          e -> e.name().equals("status") && e.json().getLong("total_keys") == 1).json();
      assertTrue(status.containsKey("lag") && status.containsKey("ops_per_sec"), status.encode());
      assertTrue(events.rawText().startsWith("retry: "), events.rawText());
    }
  }

  @Test
  void handshakeStepsArrivePushedAsTheyHappen() {
    try (RedisServerProcess redis = RedisServerProcess.start("--repl-diskless-sync-delay", "0");
        TestNode node = Http.node();
        RespClient r = node.client();
        Http.EventStreamReader events = new Http.EventStreamReader(node.httpPort(), null)) {
      events.next(Poll.WAIT, "the snapshot", e -> e.name().equals("snapshot"));
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(redis.port())));
      List<String> states = new ArrayList<>();
      JsonObject last = events.next(Poll.WAIT, "CONNECTED", e -> {
        if (!e.name().equals("link")) return false;
        states.add(e.json().getJsonObject("event").getString("state"));
        return states.get(states.size() - 1).equals("CONNECTED");
      }).json();
      assertEquals(List.of("CONNECT", "CONNECTING", "RECEIVE_PING_REPLY", "SEND_HANDSHAKE", "RECEIVE_PORT_REPLY",
          "RECEIVE_CAPA_REPLY", "SEND_PSYNC", "RECEIVE_PSYNC_REPLY", "TRANSFER", "CONNECTED"), states);
      JsonObject link = last.getJsonObject("link");
      assertEquals(redis.port(), link.getInteger("port"));
      assertEquals("done", link.getJsonArray("steps").getJsonObject(6).getString("status"));
      assertEquals(last.getJsonObject("event").getLong("elapsed_ms"), link.getLong("total_ms"));

      // the node's status follows on the next push
      events.next(Poll.WAIT, "a replica status", e -> e.name().equals("status")
          && "replica".equals(e.json().getString("role"))
          && "up".equals(e.json().getJsonObject("master_link").getString("link_status")));

      r.call("REPLICAOF", "NO", "ONE");
      events.next(Poll.WAIT, "back to NONE", e -> e.name().equals("link")
          && "NONE".equals(e.json().getJsonObject("event").getString("state")));
    }
  }

  /** A master's per-replica events (their documented shape) reach the browser as they are published. */
  @Test
  void replicaEventsArePushed() {
    try (TestNode node = Http.node();
        Http.EventStreamReader events = new Http.EventStreamReader(node.httpPort(), null)) {
      events.next(Poll.WAIT, "the snapshot", e -> e.name().equals("snapshot"));
      JsonObject ev = new JsonObject().put("event", "online").put("replica", "127.0.0.1:7001")
          .put("client_id", 9).put("state", "online").put("offset", 1234);
      node.vertx().eventBus().publish(Addresses.REPLICATION_REPLICAS, ev);
      JsonObject got = events.next(Poll.WAIT, "the replica event", e -> e.name().equals("replica")).json();
      assertEquals("online", got.getString("event"));
      assertEquals("127.0.0.1:7001", got.getString("replica"));
      assertEquals(1234, got.getLong("offset"));
      assertEquals("replica", got.getString("kind"));
      assertTrue(Http.status(node.httpPort()).getJsonArray("events").stream()
          .anyMatch(o -> "127.0.0.1:7001".equals(((JsonObject) o).getString("replica"))));
    }
  }

  /**
   * A failover's phases (their documented shape) arrive as {@code failover} with the whole timeline, and the node's
   * role changes on {@code REPLICAOF} arrive as {@code role}, each as it happens.
   */
  @Test
  void failoverPhasesAndRoleChangesArePushed() {
    try (TestNode node = Http.node(); RespClient r = node.client();
        Http.EventStreamReader events = new Http.EventStreamReader(node.httpPort(), null)) {
      JsonObject snapshot = events.next(Poll.WAIT, "the snapshot", e -> e.name().equals("snapshot")).json();
      assertEquals("no-failover", snapshot.getString("master_failover_state"));
      assertTrue(snapshot.containsKey("failover") && snapshot.getValue("failover") == null, snapshot.encode());
      assertEquals("master", snapshot.getString("role"));
      long since = snapshot.getLong("role_since");
      assertTrue(since <= snapshot.getLong("time"), snapshot.encode());

      long ts = System.currentTimeMillis();
      node.vertx().eventBus().publish(Addresses.REPLICATION_FAILOVER, new JsonObject().put("phase", "started")
          .put("side", "master").put("state", "waiting-for-sync").put("target", "127.0.0.1:7001").put("offset", 300)
          .put("target_offset", 280).put("elapsed_ms", 0).put("ts", ts));
      node.vertx().eventBus().publish(Addresses.REPLICATION_FAILOVER, new JsonObject().put("phase", "aborted")
          .put("side", "master").put("state", "no-failover").put("target", "127.0.0.1:7001").put("offset", 300)
          .put("target_offset", 280).put("elapsed_ms", 1500).put("ts", ts + 1500)
          .put("error", "FAILOVER target replica is not online."));
      JsonObject first = events.next(Poll.WAIT, "the started phase", e -> e.name().equals("failover")).json();
      assertEquals("started", first.getJsonObject("event").getString("phase"));
      assertEquals("failover", first.getJsonObject("event").getString("kind"));
      assertTrue(first.getJsonObject("failover").getBoolean("in_progress"));
      JsonObject second = events.next(Poll.WAIT, "the aborted phase", e -> e.name().equals("failover")).json();
      JsonObject timeline = second.getJsonObject("failover");
      assertEquals("aborted", timeline.getString("outcome"));
      assertEquals("FAILOVER target replica is not online.", timeline.getString("error"));
      assertEquals(2, timeline.getJsonArray("phases").size());
      assertEquals(timeline, Http.status(node.httpPort()).getJsonObject("failover"));

      int nobody = FreePort.get(); // the role changes when REPLICAOF is taken, not when the link comes up
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(nobody)));
      JsonObject replica = events.next(Poll.WAIT, "the role change", e -> e.name().equals("role")).json();
      assertEquals("replica", replica.getString("role"));
      assertEquals("127.0.0.1:" + nobody, replica.getString("master"));
      assertEquals("master", replica.getString("previous_role"));
      assertEquals("replicaof", replica.getString("cause"));
      assertTrue(replica.getLong("since") > since);

      // re-pointed as Sentinel does it, inside MULTI/EXEC (replies as redis-server 7.0.15 gives them)
      int other = FreePort.get();
      assertEquals("+OK\r\n", r.call("MULTI"));
      assertEquals("+QUEUED\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(other)));
      assertEquals("*1\r\n+OK\r\n", r.call("EXEC"));
      JsonObject repointed = events.next(Poll.WAIT, "the new master", e -> e.name().equals("role")).json();
      assertEquals("127.0.0.1:" + other, repointed.getString("master"));
      assertEquals("127.0.0.1:" + nobody, repointed.getString("previous_master"));
      assertEquals("replica", repointed.getString("previous_role"));

      assertEquals("+OK\r\n", r.call("REPLICAOF", "NO", "ONE"));
      JsonObject master = events.next(Poll.WAIT, "back to master", e -> e.name().equals("role")).json();
      assertEquals("master", master.getString("role"));
      assertEquals("127.0.0.1:" + other, master.getString("previous_master"));
      JsonObject status = Http.status(node.httpPort());
      assertEquals(master.getLong("since"), status.getLong("role_since"));
      assertTrue(status.getJsonArray("events").stream().anyMatch(o -> "role".equals(((JsonObject) o)
          .getString("kind"))));
    }
  }
}
