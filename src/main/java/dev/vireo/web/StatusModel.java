package dev.vireo.web;

import dev.vireo.util.InfoText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * What the status page and {@code /api/status} show: the INFO text of the moment, plus what only the events tell
 * (the steps of the current link attempt, the phases of the current or last failover, since when the node has its
 * role, the feed of recent replication events) and what only a history gives (lag over the last minutes). Fed with
 * INFO texts and events; never touches the server. What an input changes is handed to the sink as a named message
 * for the browsers ({@code link}, {@code replica}, {@code failover}, {@code role}).
 *
 * <p>Not thread-safe: used on the HTTP verticle's event loop only.
 */
final class StatusModel {
  static final int FEED_SIZE = 100;
  static final long HISTORY_MILLIS = 5 * 60_000L;
  private static final int MAX_REPLICA_EVENTS = 64;

  private final BiConsumer<String, JsonObject> out;
  private final LinkSteps link = new LinkSteps();
  private final FailoverTimeline failover = new FailoverTimeline();
  private final RoleTracker role;
  private final Deque<JsonObject> feed = new ArrayDeque<>();
  private final Map<String, JsonObject> lastReplicaEvent = new LinkedHashMap<>();
  /** This replica's lag in ms as the fleet view computes it (fleet yes), or null. */
  private Long fleetLagMillis;

  /** {millis, master_repl_offset} samples: when the master reached each offset, for lag in time. */
  private final Deque<long[]> offsets = new ArrayDeque<>();
  private final Deque<JsonObject> lagHistory = new ArrayDeque<>();

  /**
   * {@code startedAt}: when watching began (the role first seen in INFO is taken to hold since then); {@code out}
   * gets each message for the browsers, on the caller's thread.
   */
  StatusModel(long startedAt, BiConsumer<String, JsonObject> out) {
    this.out = out;
    this.role = new RoleTracker(startedAt);
  }

  /** A {@code vireo.replication.state} event: pushes {@code link} ({@code {"event","link"}}), then any role change. */
  void onLinkEvent(JsonObject ev, long now) {
    link.accept(ev);
    JsonObject entry = ev.copy().put("kind", "state").put("ts", now);
    remember(entry);
    out.accept("link", new JsonObject().put("event", entry).put("link", link.toJson()));
    roleChanged(role.onLink(ev, now));
  }

  /**
   * A {@code vireo.replication.failover} event: pushes {@code failover} {@code {"event":..,"failover":..}} (the
   * event as a feed entry, and the whole timeline), then any role change.
   */
  void onFailoverEvent(JsonObject ev, long now) {
    failover.accept(ev, now);
    JsonObject entry = ev.copy().put("kind", "failover").put("ts", ev.getLong("ts", now));
    remember(entry);
    out.accept("failover", new JsonObject().put("event", entry).put("failover", failover.toJson()));
    roleChanged(role.onFailover(ev, now));
  }

  /** The role INFO tells, from a text asked for at {@code askedAt}: pushes {@code role} if it changed. */
  void onInfo(String infoText, long askedAt, long now) {
    roleChanged(role.onInfo(InfoText.parse(infoText), askedAt, now));
  }

  private void roleChanged(JsonObject change) {
    if (change == null) return;
    JsonObject entry = change.put("kind", "role").put("ts", change.getLong("since"));
    remember(entry);
    out.accept("role", entry);
  }

  /** A {@code vireo.replication.replicas} event: pushes {@code replica}, the feed entry. */
  void onReplicaEvent(JsonObject ev, long now) {
    JsonObject entry = ev.copy().put("kind", "replica").put("ts", now);
    remember(entry);
    String who = ev.getString("replica");
    if (who != null) {
      lastReplicaEvent.remove(who);
      lastReplicaEvent.put(who, entry);
      if (lastReplicaEvent.size() > MAX_REPLICA_EVENTS) {
        Iterator<String> oldest = lastReplicaEvent.keySet().iterator();
        oldest.next();
        oldest.remove();
      }
    }
    out.accept("replica", entry);
  }

  private void remember(JsonObject entry) {
    feed.addLast(entry);
    while (feed.size() > FEED_SIZE) feed.removeFirst();
  }

  /**
   * The status from an INFO text taken now, recording a point of the lag history: called once a second. The
   * result carries the current {@code lag} but not the whole history.
   */
  JsonObject sample(String infoText, long now) {
    InfoText info = InfoText.parse(infoText);
    if (!isReplica(info)) {
      offsets.addLast(new long[] {now, info.getLong("master_repl_offset", 0)});
      while (!offsets.isEmpty() && offsets.peekFirst()[0] < now - HISTORY_MILLIS) offsets.removeFirst();
    }
    JsonObject status = status(info, now);
    lagHistory.addLast(status.getJsonObject("lag").copy().put("t", now));
    while (!lagHistory.isEmpty() && lagHistory.peekFirst().getLong("t") < now - HISTORY_MILLIS) {
      lagHistory.removeFirst();
    }
    return status;
  }

  /** The whole snapshot: the status now plus the lag history and the recent events. */
  JsonObject snapshot(String infoText, long now) {
    JsonObject status = status(InfoText.parse(infoText), now);
    status.put("lag_history", new JsonArray(new ArrayList<>(lagHistory)));
    status.put("events", new JsonArray(new ArrayList<>(feed)));
    return status;
  }

  private static boolean isReplica(InfoText info) {
    return "slave".equals(info.get("role"));
  }

  private JsonObject status(InfoText info, long now) {
    boolean infoReplica = isReplica(info);
    // the role the events told, newer than an INFO text asked for before they came (INFO settles it a second later)
    boolean replica = role.known() ? role.role().equals(RoleTracker.REPLICA) : infoReplica;
    long masterOffset = info.getLong("master_repl_offset", 0);
    JsonObject s = new JsonObject()
        .put("time", now)
        .put("role", replica ? "replica" : "master");
    if (role.known()) {
      s.put("role_master", role.master()).put("role_since", role.since()).put("role_cause", role.cause());
    } else {
      s.put("role_master", replica ? info.get("master_host") + ":" + info.getLong("master_port", 0) : null)
          .putNull("role_since").putNull("role_cause");
    }
    s.put("master_failover_state", info.get("master_failover_state"))
        .put("failover", failover.toJson())
        .put("version", info.get("vireo_version"))
        .put("redis_version", info.get("redis_version"))
        .put("port", info.getLong("tcp_port", 0))
        .put("uptime_in_seconds", info.getLong("uptime_in_seconds", 0))
        .put("replid", info.get("master_replid"))
        .put("replid2", info.get("master_replid2"))
        .put("master_repl_offset", masterOffset)
        .put("second_repl_offset", info.getLong("second_repl_offset", -1));

    JsonObject lag = new JsonObject().putNull("bytes").putNull("ms");
    if (replica) {
      JsonObject m = infoReplica ? masterLink(info) : linkFromEvents();
      s.put("master_link", m);
      if (m.getBoolean("sync_in_progress") && m.getLong("sync_left_bytes", -1L) >= 0) {
        lag.put("bytes", m.getLong("sync_left_bytes"));
      } else if ("up".equals(m.getString("link_status"))) {
        lag.put("bytes", Math.max(0, m.getLong("read_repl_offset") - m.getLong("repl_offset")));
        // in a fleet, the master's offset samples tell how long ago it passed this replica's offset
        if (fleetLagMillis != null) lag.put("ms", fleetLagMillis);
      }
    } else {
      s.putNull("master_link");
    }

    JsonArray replicas = new JsonArray();
    long maxBytes = -1;
    long maxMs = -1;
    for (Map<String, String> r : info.replicas()) {
      long offset = InfoText.parseLong(r.get("offset"), 0);
      long behindBytes = Math.max(0, masterOffset - offset);
      long behindMs = lagMillis(offset, masterOffset, now);
      maxBytes = Math.max(maxBytes, behindBytes);
      maxMs = Math.max(maxMs, behindMs);
      String ip = r.get("ip");
      String port = r.get("port");
      replicas.add(new JsonObject()
          .put("ip", ip)
          .put("port", InfoText.parseLong(port, 0))
          .put("state", r.get("state"))
          .put("offset", offset)
          .put("lag_seconds", InfoText.parseLong(r.get("lag"), -1))
          .put("lag_bytes", behindBytes)
          .put("lag_ms", behindMs)
          .put("last_event", lastReplicaEvent.get(ip + ":" + port)));
    }
    if (!replica && maxBytes >= 0) {
      lag.put("bytes", maxBytes).put("ms", maxMs);
    }
    s.put("connected_replicas", info.getLong("connected_slaves", 0));
    s.put("replicas", replicas);
    s.put("lag", lag);

    s.put("ops_per_sec", info.getLong("instantaneous_ops_per_sec", 0))
        .put("connected_clients", info.getLong("connected_clients", 0))
        .put("blocked_clients", info.getLong("blocked_clients", 0))
        .put("used_memory", info.getLong("used_memory", 0))
        .put("used_memory_human", info.get("used_memory_human"))
        .put("total_commands_processed", info.getLong("total_commands_processed", 0));
    JsonArray dbs = new JsonArray();
    long total = 0;
    for (Map.Entry<Integer, Map<String, String>> e : info.keyspace().entrySet()) {
      long keys = InfoText.parseLong(e.getValue().get("keys"), 0);
      total += keys;
      dbs.add(new JsonObject()
          .put("db", e.getKey())
          .put("keys", keys)
          .put("expires", InfoText.parseLong(e.getValue().get("expires"), 0))
          .put("avg_ttl", InfoText.parseLong(e.getValue().get("avg_ttl"), 0)));
    }
    s.put("keyspace", dbs).put("total_keys", total);
    return s;
  }

  /** The master link as the events alone tell it, while INFO still shows the node as a master. */
  private JsonObject linkFromEvents() {
    JsonObject m = link.toJson();
    JsonObject failure = m.getJsonObject("last_failure");
    return m.put("link_status", "CONNECTED".equals(m.getString("state")) ? "up" : "down")
        .put("last_io_seconds_ago", -1)
        .put("sync_in_progress", false)
        .put("read_repl_offset", 0)
        .put("repl_offset", 0)
        .put("last_error", failure == null ? null : failure.getString("error"));
  }

  /** INFO replication's replica fields, plus the steps of the current attempt as the events told them. */
  private JsonObject masterLink(InfoText info) {
    JsonObject m = link.toJson();
    String host = info.get("master_host");
    long port = info.getLong("master_port", 0);
    boolean up = "up".equals(info.get("master_link_status"));
    if (!Objects.equals(host, m.getString("host")) || port != m.getInteger("port", -1)) {
      // no event seen for this master yet (the link started before this endpoint did): INFO alone
      m = new LinkSteps().toJson().put("state", up ? "CONNECTED" : "CONNECT");
    }
    m.put("host", host)
        .put("port", port)
        .put("link_status", up ? "up" : "down")
        .put("last_io_seconds_ago", info.getLong("master_last_io_seconds_ago", -1))
        .put("sync_in_progress", info.getLong("master_sync_in_progress", 0) == 1)
        .put("read_repl_offset", info.getLong("slave_read_repl_offset", 0))
        .put("repl_offset", info.getLong("slave_repl_offset", 0));
    if (info.get("master_sync_left_bytes") != null) {
      m.put("sync_total_bytes", info.getLong("master_sync_total_bytes", -1))
          .put("sync_read_bytes", info.getLong("master_sync_read_bytes", 0))
          .put("sync_left_bytes", info.getLong("master_sync_left_bytes", -1));
    }
    if (info.get("master_link_down_since_seconds") != null) {
      m.put("down_since_seconds", info.getLong("master_link_down_since_seconds", -1));
    }
    JsonObject failure = m.getJsonObject("last_failure");
    m.put("last_error", failure == null ? null : failure.getString("error"));
    return m;
  }

  /**
   * How long ago the master was at a replica's offset: the time since the master first went past it, from the
   * once-a-second samples (so to within a second); 0 when the replica has everything.
   */
  private long lagMillis(long replicaOffset, long masterOffset, long now) {
    if (replicaOffset >= masterOffset) return 0;
    for (long[] sample : offsets) {
      if (sample[1] > replicaOffset) return Math.max(0, now - sample[0]);
    }
    return 0;
  }

  /** The lag in milliseconds the fleet view gives this node as a replica (null: not known). */
  void fleetLagMillis(Long ms) {
    fleetLagMillis = ms;
  }
}
