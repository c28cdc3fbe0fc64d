package dev.vireo.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.FreePort;
import dev.vireo.testkit.Http;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A node whose fleet peers cannot be reached serves from the moment its port opens: the cluster joins beside the
 * node's own Vert.x, so the data loop never waits for it. Its view holds only itself, and {@code /metrics} says
 * whether it is in a cluster.
 */
class FleetUnreachablePeersIT {
  @Test
  void aNodeWithUnreachablePeersServesWhileItsFleetJoins() {
    String deadPeers = "127.0.0.1:" + FreePort.get() + ",127.0.0.1:" + FreePort.get();
    try (TestNode node = Http.node("--fleet", "yes", "--fleet-port", Integer.toString(FreePort.get()),
        "--fleet-members", deadPeers); RespClient c = node.client()) {
      // at once, with the cluster still trying its peers: a pipeline of writes and reads is answered whole
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      int n = 20_000;
      for (int i = 0; i < n; i++) b.writeBytes(RespClient.encodeCommand("SET", "k" + (i % 100), "v" + i));
      c.sendRaw(b.toByteArray());
      for (int i = 0; i < n; i++) assertEquals("+OK\r\n", c.readReply());
      assertEquals("$6\r\nv19999\r\n", c.call("GET", "k99"));
      // and all of that before the cluster had joined: the node did not wait for it
      assertTrue(Http.get(node.httpPort(), "/metrics").body().contains("vireo_cluster_bus_up 0.0"),
          "served before the fleet joined");

      // the view: the node alone, up
      JsonObject view = new JsonObject(Http.get(node.httpPort(), "/api/fleet").body());
      assertEquals(1, view.getJsonArray("nodes").size(), view::encodePrettily);
      assertTrue(view.getJsonArray("nodes").getJsonObject(0).getBoolean("member"), view::encodePrettily);

      // /fleet/events: the view first, then the node's snapshots as they are taken
      try (Http.EventStreamReader events = new Http.EventStreamReader(node.httpPort(), "/fleet/events", null)) {
        assertEquals("text/event-stream; charset=utf-8", events.contentType);
        events.next(Duration.ofSeconds(10), "the view", e -> e.name().equals("view"));
        Http.Event status = events.next(Duration.ofSeconds(10), "a snapshot", e -> e.name().equals("status"));
        assertEquals(node.port(), new JsonObject(status.data()).getInteger("port"), status::data);
      }

      // the metrics tell whether the node is in a cluster: once joined (a cluster of one here), 1
      Poll.until(Duration.ofSeconds(60), "vireo_cluster_bus_up 1.0 in /metrics",
          () -> Http.get(node.httpPort(), "/metrics").body().contains("vireo_cluster_bus_up 1.0"));
      assertTrue(Http.get(node.httpPort(), "/metrics").body().contains("vireo_fleet_members 1.0"));
    }
  }
}
