package dev.vireo.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The current or last coordinated failover ({@code FAILOVER}) as its phases, in the order they were published at
 * {@code vireo.replication.failover}: on the master {@code started}, {@code synced} or {@code forced},
 * {@code psync-failover}, {@code role-switched}, {@code resynced}, then {@code done} or {@code aborted}; on the
 * target, {@code promoted}. {@code started} (or {@code promoted}, or any phase after the last failover ended)
 * begins a new one.
 *
 * <p>Not thread-safe: fed and read on the HTTP verticle's event loop only.
 */
final class FailoverTimeline {
  /** Phases a failover keeps at most: the documented ones fit many times over. */
  static final int MAX_PHASES = 32;

  static final String DONE = "done";
  static final String ABORTED = "aborted";
  static final String PROMOTED = "promoted";

  private JsonArray phases;
  private String side;
  private String target;
  private String state;
  private boolean inProgress;
  private String outcome;
  private String error;
  private long startedAt;
  private long endedAt = -1;
  private long elapsedMs;

  /** Folds one {@code vireo.replication.failover} event in; {@code now} stands for a missing {@code ts}. */
  void accept(JsonObject ev, long now) {
    String phase = ev.getString("phase", "");
    long ts = ev.getLong("ts", now);
    long elapsed = ev.getLong("elapsed_ms", 0L);
    if (phases == null || !inProgress || phase.equals("started") || phase.equals(PROMOTED)) {
      phases = new JsonArray();
      startedAt = ts - elapsed;
      endedAt = -1;
      outcome = null;
      error = null;
      target = null;
    }
    if (ev.getString("side") != null) side = ev.getString("side");
    if (ev.getString("target") != null) target = ev.getString("target");
    state = ev.getString("state", state);
    elapsedMs = elapsed;
    if (phases.size() < MAX_PHASES) {
      phases.add(new JsonObject()
          .put("phase", phase)
          .put("state", ev.getString("state"))
          .put("ts", ts)
          .put("elapsed_ms", elapsed)
          .put("target", ev.getString("target"))
          .put("offset", ev.getLong("offset"))
          .put("target_offset", ev.getLong("target_offset"))
          .put("detail", ev.getString("detail"))
          .put("error", ev.getString("error")));
    }
    switch (phase) {
      case DONE, ABORTED, PROMOTED -> {
        inProgress = false;
        outcome = phase;
        endedAt = ts;
        error = ev.getString("error");
      }
      default -> inProgress = true;
    }
  }

  /** Whether a failover has been seen since the node started. */
  boolean seen() {
    return phases != null;
  }

  /**
   * Null before any failover; else {@code {"side","target","state","in_progress","outcome","error","started_at",
   * "ended_at","elapsed_ms","phases":[{"phase","state","ts","elapsed_ms","target","offset","target_offset",
   * "detail","error"}]}}: {@code outcome} is {@code done}, {@code aborted} or {@code promoted} once over, null
   * while in progress; times are epoch milliseconds, {@code elapsed_ms} the last phase's.
   */
  JsonObject toJson() {
    if (phases == null) return null;
    return new JsonObject()
        .put("side", side)
        .put("target", target)
        .put("state", state)
        .put("in_progress", inProgress)
        .put("outcome", outcome)
        .put("error", error)
        .put("started_at", startedAt)
        .put("ended_at", endedAt < 0 ? null : endedAt)
        .put("elapsed_ms", elapsedMs)
        .put("phases", phases.copy());
  }
}
