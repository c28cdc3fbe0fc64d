package dev.vireo.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The failover timeline and the role with its {@code role_since}, fed the event JSON documented at
 * {@code Addresses.REPLICATION_FAILOVER} and {@code REPLICATION_STATE} and INFO texts shaped as redis-server 7.0.15
 * writes its replication section.
 */
class StatusModelTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final String TARGET = "127.0.0.1:7102";

  private record Push(String event, JsonObject data) {}

  private final List<Push> pushed = new ArrayList<>();
  private final StatusModel model = new StatusModel(T0, (event, data) -> pushed.add(new Push(event, data)));

  /** INFO replication as redis-server 7.0.15 writes it (a master with no replica, or a replica whose link is down). */
  private static String info(String masterHost, int masterPort, String failoverState) {
    StringBuilder s = new StringBuilder("# Server\r\nredis_version:7.0.15\r\ntcp_port:7101\r\nuptime_in_seconds:3\r\n"
        + "\r\n# Replication\r\n");
    if (masterHost == null) {
      s.append("role:master\r\nconnected_slaves:0\r\n");
    } else {
      s.append("role:slave\r\nmaster_host:").append(masterHost).append("\r\nmaster_port:").append(masterPort)
          .append("\r\nmaster_link_status:down\r\nmaster_last_io_seconds_ago:-1\r\nmaster_sync_in_progress:0\r\n"
              + "slave_read_repl_offset:0\r\nslave_repl_offset:0\r\nmaster_link_down_since_seconds:-1\r\n"
              + "slave_priority:100\r\nslave_read_only:1\r\nreplica_announced:1\r\nconnected_slaves:0\r\n");
    }
    return s.append("master_failover_state:").append(failoverState)
        .append("\r\nmaster_replid:5c0bec88c820262a2ce150b93fa4d44d28d9db65\r\n"
            + "master_replid2:0000000000000000000000000000000000000000\r\nmaster_repl_offset:14\r\n"
            + "second_repl_offset:-1\r\nrepl_backlog_active:1\r\nrepl_backlog_size:1048576\r\n").toString();
  }

  private static JsonObject phase(String phase, String side, String state, long elapsed) {
    return new JsonObject().put("phase", phase).put("side", side).put("state", state).put("target", TARGET)
        .put("offset", 5000L).put("target_offset", 4990L).put("elapsed_ms", elapsed).put("ts", T0 + 10_000 + elapsed);
  }

  private static JsonObject link(String previous, String state, String host, int port) {
    return new JsonObject().put("state", state).put("previous", previous).put("master_host", host)
        .put("master_port", port).put("attempt", 1).put("elapsed_ms", 0L);
  }

  private List<String> names() {
    return pushed.stream().map(Push::event).toList();
  }

  private List<Push> of(String event) {
    return pushed.stream().filter(p -> p.event().equals(event)).toList();
  }

  private static List<String> phases(JsonObject failover) {
    return failover.getJsonArray("phases").stream().map(o -> ((JsonObject) o).getString("phase")).toList();
  }

  @Test
  void aFailoverOnTheMasterIsFoldedPhaseByPhaseAndMovesTheRole() {
    model.onInfo(info(null, 0, "no-failover"), T0 + 1, T0 + 2);
    assertTrue(pushed.isEmpty(), "the role INFO shows first is no change: " + pushed);
    JsonObject before = model.snapshot(info(null, 0, "no-failover"), T0 + 3);
    assertEquals("master", before.getString("role"));
    assertEquals(T0, before.getLong("role_since"));
    assertNull(before.getJsonObject("failover"));
    assertEquals("no-failover", before.getString("master_failover_state"));

    String[][] sequence = {{"started", "waiting-for-sync"}, {"synced", "failover-in-progress"},
        {"psync-failover", "failover-in-progress"}, {"role-switched", "failover-in-progress"},
        {"resynced", "failover-in-progress"}, {"done", "no-failover"}};
    for (int i = 0; i < sequence.length; i++) {
      model.onFailoverEvent(phase(sequence[i][0], "master", sequence[i][1], 40L * i), T0 + 20_000);
      JsonObject fo = of("failover").get(i).data().getJsonObject("failover");
      assertEquals(i + 1, fo.getJsonArray("phases").size());
      assertEquals(i < sequence.length - 1, fo.getBoolean("in_progress"), sequence[i][0]);
      assertEquals(sequence[i][1], fo.getString("state"));
    }
    // the master became a replica of the target when the role switched, at the event's own time
    assertEquals(List.of("failover", "failover", "failover", "failover", "role", "failover", "failover"), names());
    JsonObject role = of("role").get(0).data();
    assertEquals("replica", role.getString("role"));
    assertEquals(TARGET, role.getString("master"));
    assertEquals("failover", role.getString("cause"));
    assertEquals("master", role.getString("previous_role"));
    assertEquals(T0 + 10_120, role.getLong("since"));

    JsonObject fo = of("failover").get(5).data().getJsonObject("failover");
    assertEquals(List.of("started", "synced", "psync-failover", "role-switched", "resynced", "done"), phases(fo));
    assertEquals("done", fo.getString("outcome"));
    assertEquals(TARGET, fo.getString("target"));
    assertEquals("master", fo.getString("side"));
    assertEquals(T0 + 10_000, fo.getLong("started_at"));
    assertEquals(T0 + 10_200, fo.getLong("ended_at"));
    assertEquals(200, fo.getLong("elapsed_ms"));
    JsonObject synced = fo.getJsonArray("phases").getJsonObject(1);
    assertEquals(40, synced.getLong("elapsed_ms"));
    assertEquals(5000, synced.getLong("offset"));
    assertEquals(4990, synced.getLong("target_offset"));
    assertEquals(T0 + 10_040, synced.getLong("ts"));
    JsonObject event = of("failover").get(1).data().getJsonObject("event");
    assertEquals("failover", event.getString("kind"));
    assertEquals("synced", event.getString("phase"));

    // the link pointing at the target says nothing new; the snapshot keeps the timeline and the feed has it all
    model.onLinkEvent(link("NONE", "CONNECT", "127.0.0.1", 7102), T0 + 20_001);
    assertEquals("link", pushed.get(pushed.size() - 1).event());
    JsonObject after = model.snapshot(info("127.0.0.1", 7102, "no-failover"), T0 + 20_002);
    assertEquals("replica", after.getString("role"));
    assertEquals(TARGET, after.getString("role_master"));
    assertEquals(T0 + 10_120, after.getLong("role_since"));
    assertEquals("failover", after.getString("role_cause"));
    assertEquals(fo, after.getJsonObject("failover"));
    List<String> kinds = after.getJsonArray("events").stream().map(o -> ((JsonObject) o).getString("kind")).toList();
    assertEquals(List.of("failover", "failover", "failover", "failover", "role", "failover", "failover", "state"),
        kinds);
  }

  @Test
  void anAbortKeepsItsErrorUntilTheNextFailoverStarts() {
    model.onFailoverEvent(phase("started", "master", "waiting-for-sync", 0), T0);
    model.onFailoverEvent(phase("aborted", "master", "no-failover", 5000)
        .put("error", "Replica never caught up before timeout"), T0);
    JsonObject fo = of("failover").get(1).data().getJsonObject("failover");
    assertFalse(fo.getBoolean("in_progress"));
    assertEquals("aborted", fo.getString("outcome"));
    assertEquals("Replica never caught up before timeout", fo.getString("error"));
    assertEquals(List.of("started", "aborted"), phases(fo));
    assertTrue(of("role").isEmpty(), "an aborted failover leaves the role");

    model.onFailoverEvent(phase("started", "master", "waiting-for-sync", 0), T0);
    JsonObject next = of("failover").get(2).data().getJsonObject("failover");
    assertEquals(List.of("started"), phases(next));
    assertNull(next.getString("error"));
    assertNull(next.getString("outcome"));
    assertTrue(next.getBoolean("in_progress"));
  }

  @Test
  void theTargetIsPromotedWhetherTheLinkOrTheFailoverSaysItFirst() {
    model.onInfo(info("127.0.0.1", 7100, "no-failover"), T0 + 1, T0 + 2);
    assertEquals("127.0.0.1:7100", model.snapshot(info("127.0.0.1", 7100, "no-failover"), T0 + 3)
        .getString("role_master"));
    // the link stops first (REPLICAOF NO ONE inside the failover), then the target's own phase
    model.onLinkEvent(link("CONNECTED", "NONE", null, 0), T0 + 5_000);
    model.onFailoverEvent(new JsonObject().put("phase", "promoted").put("side", "target").put("state", "no-failover")
        .put("target", TARGET).put("offset", 5000L).put("elapsed_ms", 0L).put("ts", T0 + 5_001), T0 + 5_002);
    assertEquals(List.of("link", "role", "failover"), names());
    assertEquals("master", of("role").get(0).data().getString("role"));
    assertEquals("127.0.0.1:7100", of("role").get(0).data().getString("previous_master"));
    JsonObject s = model.snapshot(info(null, 0, "no-failover"), T0 + 6_000);
    assertEquals("master", s.getString("role"));
    assertNull(s.getString("role_master"));
    assertEquals(T0 + 5_000, s.getLong("role_since"));
    assertEquals("failover", s.getString("role_cause"), "the promotion names the failover as its cause");
    JsonObject fo = s.getJsonObject("failover");
    assertEquals("promoted", fo.getString("outcome"));
    assertEquals("target", fo.getString("side"));
    assertFalse(fo.getBoolean("in_progress"));
  }

  @Test
  void replicaofAndSentinelMovesShowAsTheyHappenAndAStaleInfoDoesNotUndoThem() {
    model.onInfo(info(null, 0, "no-failover"), T0 + 1, T0 + 2);
    // REPLICAOF 10.0.0.5 6379 (a person, or Sentinel re-pointing a replica)
    model.onLinkEvent(link("NONE", "CONNECT", "10.0.0.5", 6379), T0 + 100);
    assertEquals(List.of("link", "role"), names());
    JsonObject r = of("role").get(0).data();
    assertEquals("replica", r.getString("role"));
    assertEquals("10.0.0.5:6379", r.getString("master"));
    assertEquals("replicaof", r.getString("cause"));
    assertEquals(T0 + 100, r.getLong("since"));
    assertEquals("role", r.getString("kind"));

    // an INFO asked for before the event arrived still says master: not a change
    model.onInfo(info(null, 0, "no-failover"), T0 + 99, T0 + 101);
    // reconnecting to the same master is not a change either
    model.onLinkEvent(link("CONNECTED", "CONNECT", "10.0.0.5", 6379).put("error", "Connection lost"), T0 + 200);
    assertEquals(1, of("role").size(), pushed.toString());
    JsonObject s = model.snapshot(info(null, 0, "no-failover"), T0 + 102);
    assertEquals("replica", s.getString("role"), "the role the events told, until a newer INFO");
    JsonObject m = s.getJsonObject("master_link");
    assertEquals("10.0.0.5", m.getString("host"), "the link as the events tell it: " + s.encode());
    assertEquals("down", m.getString("link_status"));
    assertEquals("Connection lost", m.getString("last_error"));

    // Sentinel points it at another master
    model.onLinkEvent(link("CONNECT", "CONNECT", "10.0.0.6", 6380), T0 + 300);
    assertEquals("10.0.0.6:6380", of("role").get(1).data().getString("master"));
    assertEquals("10.0.0.5:6379", of("role").get(1).data().getString("previous_master"));

    // a newer INFO settles it whatever the events said
    model.onInfo(info(null, 0, "no-failover"), T0 + 301, T0 + 302);
    JsonObject byInfo = of("role").get(2).data();
    assertEquals("master", byInfo.getString("role"));
    assertEquals("info", byInfo.getString("cause"));
    assertEquals(T0 + 302, byInfo.getLong("since"));

    // REPLICAOF NO ONE on a replica
    model.onLinkEvent(link("NONE", "CONNECT", "10.0.0.6", 6380), T0 + 400);
    model.onLinkEvent(link("CONNECT", "NONE", null, 0), T0 + 500);
    assertEquals("master", of("role").get(4).data().getString("role"));
    assertEquals("replicaof", of("role").get(4).data().getString("cause"));
    assertEquals(5, of("role").size());
  }

  @Test
  void infoTellsTheFailoverStateAsRedisNamesIt() {
    JsonObject s = model.snapshot(info(null, 0, "waiting-for-sync"), T0);
    assertEquals("waiting-for-sync", s.getString("master_failover_state"));
    assertNull(s.getValue("role_since"), "no role known before INFO has been folded in");
  }
}
