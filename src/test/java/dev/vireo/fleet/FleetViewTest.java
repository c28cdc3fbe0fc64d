package dev.vireo.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.util.InfoText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The fleet view from snapshots: nodes, edges, lags in bytes and ms, members down, neighbours known from INFO. */
class FleetViewTest {
  private static JsonObject master(int port, long offset, long ts, String... replicas) {
    StringBuilder info = new StringBuilder("# Server\r\nrun_id:m" + port + "\r\ntcp_port:" + port
        + "\r\n# Replication\r\nrole:master\r\nconnected_slaves:" + replicas.length + "\r\n");
    for (int i = 0; i < replicas.length; i++) info.append("slave").append(i).append(":").append(replicas[i])
        .append("\r\n");
    info.append("master_repl_offset:").append(offset).append("\r\n");
    return FleetSnapshot.of(InfoText.parse(info.toString()), "127.0.0.1", port + 10000, ts);
  }

  private static JsonObject replica(int port, int masterPort, String link, long offset, long ts) {
    String info = "# Server\r\nrun_id:r" + port + "\r\ntcp_port:" + port + "\r\n# Replication\r\nrole:slave\r\n"
        + "master_host:127.0.0.1\r\nmaster_port:" + masterPort + "\r\nmaster_link_status:" + link
        + "\r\nmaster_sync_in_progress:0\r\nmaster_repl_offset:" + offset + "\r\n";
    return FleetSnapshot.of(InfoText.parse(info), "127.0.0.1", port + 10000, ts);
  }

  private static JsonObject node(JsonObject view, int port) {
    for (Object o : view.getJsonArray("nodes")) {
      JsonObject n = (JsonObject) o;
      if (n.getInteger("port") == port) return n;
    }
    throw new AssertionError("no node " + port + " in " + view.encodePrettily());
  }

  @Test
  void lagInBytesAndMillisecondsFromTheMastersSamples() {
    FleetView v = new FleetView(5000);
    v.update(master(7000, 100, 1000), 1000);
    v.update(master(7000, 250, 1100), 1100);
    v.update(master(7000, 400, 1200), 1200);
    // the replica has 100 at 1250: the master went past 100 at 1100, so it is 150 ms behind
    v.update(replica(7001, 7000, "up", 100, 1250), 1250);
    JsonObject r = node(v.toJson(1250), 7001);
    assertEquals(300L, r.getLong("lag_bytes"));
    assertEquals(150L, r.getLong("lag_ms"));
    // caught up: no lag at all
    v.update(replica(7001, 7000, "up", 400, 1300), 1300);
    r = node(v.toJson(1300), 7001);
    assertEquals(0L, r.getLong("lag_bytes"));
    assertEquals(0L, r.getLong("lag_ms"));
  }

  @Test
  void aLinkThatIsNotUpHasNoLag() {
    FleetView v = new FleetView(5000);
    v.update(master(7000, 100, 1000), 1000);
    v.update(replica(7001, 7000, "down", 0, 1000), 1000);
    JsonObject r = node(v.toJson(1000), 7001);
    assertNull(r.getLong("lag_bytes"));
    assertNull(r.getLong("lag_ms"));
    assertEquals("down", r.getString("link"));
  }

  @Test
  void membersGoDownWhenTheirSnapshotsStopAndComeBack() {
    FleetView v = new FleetView(5000);
    v.update(master(7000, 0, 0), 0);
    assertTrue(node(v.toJson(5000), 7000).getBoolean("up"));
    assertFalse(node(v.toJson(5001), 7000).getBoolean("up"));
    v.update(master(7000, 0, 6000), 6000);
    assertTrue(node(v.toJson(6000), 7000).getBoolean("up"));
  }

  @Test
  void neighboursOutsideTheFleetAppearFromInfoWithTheirEdges() {
    FleetView v = new FleetView(5000);
    v.update(master(7000, 500, 1000, "ip=127.0.0.1,port=6390,state=online,offset=480,lag=0",
        "ip=127.0.0.1,port=6391,state=wait_bgsave,offset=0,lag=0"), 1000);
    v.update(replica(7002, 6400, "up", 10, 1000), 1000); // a member whose master is a Redis outside the fleet
    JsonObject view = v.toJson(1000);
    JsonObject redis = node(view, 6390);
    assertFalse(redis.getBoolean("member"));
    assertEquals("127.0.0.1:7000", redis.getString("master"));
    assertEquals(20L, redis.getLong("lag_bytes"));
    assertEquals("syncing", node(view, 6391).getString("link"));
    JsonObject outsideMaster = node(view, 6400);
    assertEquals("master", outsideMaster.getString("role"));
    assertFalse(outsideMaster.getBoolean("member"));
    JsonArray edges = view.getJsonArray("edges");
    assertEquals(3, edges.size(), edges.encode());
    assertTrue(edges.encode().contains("{\"from\":\"127.0.0.1:6400\",\"to\":\"127.0.0.1:7002\",\"link\":\"up\"}"),
        edges.encode());
  }
}
