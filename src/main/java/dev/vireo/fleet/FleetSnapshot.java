package dev.vireo.fleet;

import dev.vireo.util.InfoText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * What a node tells the fleet about itself once a second, built from its own {@code INFO}: {@code {"id", "host",
 * "port", "http_port", "role", "master", "link", "offset", "sync": {"bytes", "total"}|null, "replicas": [{"addr",
 * "state", "offset"}], "ts"}}. {@code id} is the run id; {@code master} is {@code host:port} or null; {@code link}
 * is {@code up}, {@code down} or {@code syncing} on a replica and null on a master; {@code offset} is the
 * replication offset the node has reached ({@code master_repl_offset}); {@code sync} is a full sync's progress
 * while one loads; {@code ts} is epoch milliseconds. Never a password.
 */
final class FleetSnapshot {
  private FleetSnapshot() {}

  static JsonObject of(InfoText info, String host, int httpPort, long now) {
    boolean replica = "slave".equals(info.get("role"));
    JsonObject s = new JsonObject()
        .put("id", info.get("run_id"))
        .put("host", host)
        .put("port", (int) info.getLong("tcp_port", 0))
        .put("http_port", httpPort)
        .put("role", replica ? "replica" : "master")
        .put("offset", info.getLong("master_repl_offset", 0))
        .put("ts", now);
    if (replica) {
      s.put("master", info.get("master_host") + ":" + info.get("master_port"));
      String link;
      if ("1".equals(info.get("master_sync_in_progress"))) link = "syncing";
      else link = "up".equals(info.get("master_link_status")) ? "up" : "down";
      s.put("link", link);
      if (link.equals("syncing")) {
        s.put("sync", new JsonObject().put("bytes", info.getLong("master_sync_read_bytes", 0))
            .put("total", info.getLong("master_sync_total_bytes", -1)));
      }
    } else {
      s.putNull("master").putNull("link");
    }
    JsonArray replicas = new JsonArray();
    for (Map<String, String> r : info.replicas()) {
      replicas.add(new JsonObject().put("addr", r.get("ip") + ":" + r.get("port")).put("state", r.get("state"))
          .put("offset", InfoText.parseLong(r.get("offset"), 0)));
    }
    s.put("replicas", replicas);
    return s;
  }

  /** {@code host:port} of a node's RESP port, as masters and replicas name each other. */
  static String addr(JsonObject snapshot) {
    return snapshot.getString("host") + ":" + snapshot.getInteger("port");
  }
}
