package dev.vireo.fleet;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The topology as one node sees it: the latest snapshot of every fleet member ({@link FleetSnapshot}), the nodes
 * only their neighbours' {@code INFO} names (a real Redis replica or master outside the fleet), and each master's
 * recent offset samples. {@link #toJson} is what {@code /api/fleet} serves.
 *
 * <p>A member is down once its snapshots stop for {@code downAfterMillis}. A replica's lag in bytes is its master's
 * offset less its own; its lag in milliseconds is how long ago its master passed the offset the replica has
 * reached: the time of the first sample of the master's offset beyond the replica's, subtracted from the time of
 * the replica's snapshot (0 when the replica has everything the master had). The samples' resolution bounds the
 * figure's, and nodes on different hosts need synchronized clocks for it. Used on one event loop only.
 */
final class FleetView {
  /** How long a master's offset samples are kept: a replica further behind shows at least this much. */
  static final long SAMPLE_WINDOW_MILLIS = 60_000;

  private record Sample(long offset, long ts) {}

  private final Map<String, JsonObject> members = new LinkedHashMap<>();
  private final Map<String, Long> lastSeen = new HashMap<>();
  private final Map<String, Deque<Sample>> samples = new HashMap<>();
  private final long downAfterMillis;

  FleetView(long downAfterMillis) {
    this.downAfterMillis = downAfterMillis;
  }

  /** A member's snapshot, received at {@code now} (local time). */
  void update(JsonObject snapshot, long now) {
    String addr = FleetSnapshot.addr(snapshot);
    members.put(addr, snapshot);
    lastSeen.put(addr, now);
    sample(addr, snapshot.getLong("offset"), snapshot.getLong("ts"));
  }

  /** A master's offset at a time (its own clock). */
  void sample(String addr, long offset, long ts) {
    Deque<Sample> d = samples.computeIfAbsent(addr, k -> new ArrayDeque<>());
    if (d.isEmpty() || d.peekLast().offset() != offset) d.addLast(new Sample(offset, ts));
    while (!d.isEmpty() && d.peekFirst().ts() < ts - SAMPLE_WINDOW_MILLIS && d.size() > 1) d.removeFirst();
  }

  /** Forgets a member the cluster says has left: it stays listed as down until it comes back. */
  void left(String addr) {
    lastSeen.put(addr, Long.MIN_VALUE / 2);
  }

  /** Milliseconds since {@code master} passed {@code offset}, as of {@code at}; null without samples. */
  Long lagMillis(String master, long offset, long at) {
    Deque<Sample> d = samples.get(master);
    if (d == null || d.isEmpty()) return null;
    if (d.peekLast().offset() <= offset) return 0L;
    for (Sample s : d) {
      if (s.offset() > offset) return Math.max(0, at - s.ts());
    }
    return 0L;
  }

  /** The members whose snapshots still arrive. */
  int membersUp(long now) {
    int n = 0;
    for (long seen : lastSeen.values()) if (now - seen <= downAfterMillis) n++;
    return n;
  }

  JsonObject toJson(long now) {
    Map<String, JsonObject> nodes = new LinkedHashMap<>();
    JsonArray edges = new JsonArray();
    for (Map.Entry<String, JsonObject> e : members.entrySet()) {
      JsonObject s = e.getValue();
      boolean up = now - lastSeen.get(e.getKey()) <= downAfterMillis;
      JsonObject n = new JsonObject()
          .put("id", s.getString("id"))
          .put("host", s.getString("host"))
          .put("port", s.getInteger("port"))
          .put("http_port", s.getInteger("http_port"))
          .put("role", s.getString("role"))
          .put("master", s.getString("master"))
          .put("link", s.getString("link"))
          .put("offset", s.getLong("offset"))
          .put("sync", s.getJsonObject("sync"))
          .put("step", s.getString("step"))
          .put("member", true)
          .put("up", up);
      nodes.put(e.getKey(), n);
    }
    // neighbours known only from INFO: a member's master, a member's replicas
    for (JsonObject s : members.values()) {
      String master = s.getString("master");
      if (master != null && !nodes.containsKey(master)) nodes.put(master, outsider(master, "master"));
      for (Object o : s.getJsonArray("replicas")) {
        JsonObject r = (JsonObject) o;
        String addr = r.getString("addr");
        JsonObject n = nodes.get(addr);
        if (n == null) {
          n = outsider(addr, "replica").put("master", FleetSnapshot.addr(s)).put("offset", r.getLong("offset"))
              .put("link", "online".equals(r.getString("state")) ? "up" : "syncing");
          nodes.put(addr, n);
        }
      }
    }
    // lags and edges: each replica to its master
    for (Map.Entry<String, JsonObject> e : nodes.entrySet()) {
      JsonObject n = e.getValue();
      String master = n.getString("master");
      if (master == null) {
        n.putNull("lag_bytes").putNull("lag_ms");
        continue;
      }
      JsonObject m = nodes.get(master);
      Long masterOffset = m == null ? null : m.getLong("offset");
      Long offset = n.getLong("offset");
      boolean measurable = masterOffset != null && offset != null && "up".equals(n.getString("link"));
      n.put("lag_bytes", measurable ? Math.max(0, masterOffset - offset) : null);
      JsonObject snapshot = members.get(e.getKey());
      long at = snapshot != null ? snapshot.getLong("ts") : now;
      n.put("lag_ms", measurable ? lagMillis(master, offset, at) : null);
      edges.add(new JsonObject().put("from", master).put("to", e.getKey()).put("link", n.getString("link")));
    }
    return new JsonObject().put("nodes", new JsonArray(nodes.values().stream().toList())).put("edges", edges);
  }

  private static JsonObject outsider(String addr, String role) {
    int sep = addr.lastIndexOf(':');
    return new JsonObject()
        .putNull("id")
        .put("host", addr.substring(0, sep))
        .put("port", Integer.parseInt(addr.substring(sep + 1)))
        .putNull("http_port")
        .put("role", role)
        .putNull("master")
        .putNull("link")
        .putNull("offset")
        .putNull("sync")
        .put("member", false)
        .putNull("up");
  }
}
