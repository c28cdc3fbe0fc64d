package dev.vireo.web;

import dev.vireo.util.InfoText;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * The node's role (master, or replica of which master) and since when, folded from what tells it: the replica
 * link's events ({@code vireo.replication.state}: {@code CONNECT} to a master on {@code REPLICAOF host port}, from a
 * person, a configuration or Sentinel; {@code NONE} on {@code REPLICAOF NO ONE}), the failover's events
 * ({@code role-switched} on the old master, {@code promoted} on the target), and INFO, which settles it whatever
 * the events said. Each input returns the change it makes, or null when the role stays as it was.
 *
 * <p>An INFO text asked for before the last event that told the role arrived is not used: the event and the INFO
 * reply come from different event loops, and a stale reply would flip the role back for a second.
 *
 * <p>Not thread-safe: fed and read on one verticle's event loop.
 */
final class RoleTracker {
  static final String MASTER = "master";
  static final String REPLICA = "replica";
  /** The causes a change names. */
  static final String BY_REPLICAOF = "replicaof";
  static final String BY_FAILOVER = "failover";
  static final String BY_INFO = "info";
  /** A failover event that confirms a change the link made this recently names the failover as its cause. */
  private static final long SAME_CHANGE_MILLIS = 5_000;

  private final long startedAt;
  private String role;
  private String master;
  private long since;
  private String cause;
  private long lastEventAt = Long.MIN_VALUE;
  private boolean failoverRunning;

  /** {@code startedAt}: when watching began; the role first seen is taken to hold since then. */
  RoleTracker(long startedAt) {
    this.startedAt = startedAt;
  }

  /** A {@code vireo.replication.state} event. */
  JsonObject onLink(JsonObject ev, long now) {
    String why = failoverRunning ? BY_FAILOVER : BY_REPLICAOF;
    if (ev.getString("state", "").equals("NONE")) return fromEvent(MASTER, null, now, why, now);
    String host = ev.getString("master_host");
    Integer port = ev.getInteger("master_port");
    if (host == null || port == null) return null;
    return fromEvent(REPLICA, host + ":" + port, now, why, now);
  }

  /** A {@code vireo.replication.failover} event: its time is its {@code ts} when it has one. */
  JsonObject onFailover(JsonObject ev, long now) {
    String phase = ev.getString("phase", "");
    long at = ev.getLong("ts", now);
    switch (phase) {
      case "started" -> failoverRunning = true;
      case "done", "aborted" -> failoverRunning = false;
      case "role-switched" -> {
        String target = ev.getString("target");
        return target == null ? null : fromEvent(REPLICA, target, at, BY_FAILOVER, now);
      }
      case "promoted" -> {
        return fromEvent(MASTER, null, at, BY_FAILOVER, now);
      }
      default -> { }
    }
    return null;
  }

  /** An INFO text asked for at {@code askedAt}. */
  JsonObject onInfo(InfoText info, long askedAt, long now) {
    if (askedAt <= lastEventAt) return null;
    boolean replica = "slave".equals(info.get("role"));
    String m = replica ? info.get("master_host") + ":" + info.getLong("master_port", 0) : null;
    return change(replica ? REPLICA : MASTER, m, now, BY_INFO, false);
  }

  /** Any event that tells the role is newer than an INFO text asked for before it arrived. */
  private JsonObject fromEvent(String newRole, String newMaster, long at, String why, long now) {
    lastEventAt = now;
    return change(newRole, newMaster, at, why, true);
  }

  private JsonObject change(String newRole, String newMaster, long at, String why, boolean fromEvent) {
    if (role == null) {
      role = newRole;
      master = newMaster;
      // the first word on the role: events say when it began, INFO only that it holds (since watching began)
      since = fromEvent ? at : startedAt;
      cause = fromEvent ? why : null;
      return fromEvent ? toJson(null, null) : null;
    }
    if (role.equals(newRole) && Objects.equals(master, newMaster)) {
      if (why.equals(BY_FAILOVER) && !BY_FAILOVER.equals(cause) && at - since <= SAME_CHANGE_MILLIS) {
        cause = BY_FAILOVER; // the link moved first, as part of the failover
      }
      return null;
    }
    String previousRole = role;
    String previousMaster = master;
    role = newRole;
    master = newMaster;
    since = at;
    cause = why;
    return toJson(previousRole, previousMaster);
  }

  /** Whether any input has told the role yet. */
  boolean known() {
    return role != null;
  }

  String role() {
    return role;
  }

  /** {@code "host:port"} of the master on a replica, else null. */
  String master() {
    return master;
  }

  long since() {
    return since;
  }

  String cause() {
    return cause;
  }

  /**
   * {@code {"role","master","since","cause","previous_role","previous_master"}}: {@code master} is
   * {@code "host:port"} on a replica and null on a master; {@code since} is epoch milliseconds.
   */
  private JsonObject toJson(String previousRole, String previousMaster) {
    return new JsonObject()
        .put("role", role)
        .put("master", master)
        .put("since", since)
        .put("cause", cause)
        .put("previous_role", previousRole)
        .put("previous_master", previousMaster);
  }
}
