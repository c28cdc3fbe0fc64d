package dev.vireo.web;

import dev.vireo.replication.ReplState;
import dev.vireo.replication.ReplStep;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The replica link's current attempt as the seven steps a person reads ({@link ReplStep}: connect, PING, AUTH,
 * REPLCONF, PSYNC, transfer/load, stream online), folded from the {@code vireo.replication.state} events: each event
 * names the state the link entered ({@code REPL_STATE_*}) and the milliseconds since the attempt began, so a step's
 * duration is the time between entering it and entering a later one. The step of a state, and the step a failure
 * happened in, are {@link ReplStep}'s, the same the spans and the meters use.
 *
 * <p>Not thread-safe: fed and read on the HTTP verticle's event loop only.
 */
final class LinkSteps {
  private static final ReplStep[] STEPS = ReplStep.values();

  static final String PENDING = "pending";
  static final String ACTIVE = "active";
  static final String DONE = "done";
  static final String FAILED = "failed";
  static final String SKIPPED = "skipped";

  private final String[] status = new String[STEPS.length];
  private final long[] startedMs = new long[STEPS.length];
  private final long[] durationMs = new long[STEPS.length];
  private final String[] error = new String[STEPS.length];

  private String host;
  private int port;
  private String state = "NONE";
  private int attempt;
  private long totalMs = -1;
  private JsonObject lastFailure;

  LinkSteps() {
    reset();
  }

  private void reset() {
    for (int i = 0; i < status.length; i++) {
      status[i] = PENDING;
      startedMs[i] = -1;
      durationMs[i] = -1;
      error[i] = null;
    }
    totalMs = -1;
  }

  /** Folds one {@code vireo.replication.state} event in. */
  void accept(JsonObject ev) {
    String next = ev.getString("state", "");
    String err = ev.getString("error");
    long elapsed = ev.getLong("elapsed_ms", 0L);
    state = next;
    if (ev.getString("master_host") != null) host = ev.getString("master_host");
    if (ev.getInteger("master_port") != null) port = ev.getInteger("master_port");
    attempt = ev.getInteger("attempt", attempt);
    switch (next) {
      case "NONE" -> {
        reset();
        host = null;
        port = 0;
        lastFailure = null;
        return;
      }
      case "CONNECT" -> {
        if (err == null) {
          // REPLICAOF (a new master), or a reconnection after the stream dropped: a fresh set of steps
          reset();
        } else {
          failActive(ev.getString("previous", ""), elapsed, err);
        }
        return;
      }
      case "CONNECTING" -> reset(); // a new attempt: elapsed_ms starts again from zero
      default -> { }
    }
    ReplState entered = ReplState.named(next);
    ReplStep step = entered == null ? null : ReplStep.of(entered);
    // a state between steps (SEND_HANDSHAKE) ends the step it reached without starting another
    ReplStep reached = entered == null ? null : ReplStep.reached(entered);
    if (reached == null) return;
    int upTo = step != null ? step.ordinal() : reached.ordinal() + 1;
    // every step before the one entered is over: finished if it ran, skipped if it was optional and never ran
    for (int i = 0; i < upTo; i++) {
      if (status[i].equals(ACTIVE)) {
        status[i] = DONE;
        durationMs[i] = Math.max(0, elapsed - startedMs[i]);
      } else if (status[i].equals(PENDING)) {
        // not seen: an optional step was not needed; a required one happened before this page was watching
        status[i] = STEPS[i].optional() ? SKIPPED : DONE;
      }
    }
    if (step == null) return;
    int s = step.ordinal();
    if (step == ReplStep.ONLINE) {
      status[s] = DONE;
      startedMs[s] = elapsed;
      totalMs = elapsed;
      lastFailure = null;
    } else if (!status[s].equals(ACTIVE)) {
      status[s] = ACTIVE;
      // the attempt begins with the connection, whenever its first event got out
      startedMs[s] = step == ReplStep.CONNECT ? 0 : elapsed;
    }
  }

  /** The attempt failed in the step it had reached in the state it left (the online step: the link dropped). */
  private void failActive(String previous, long elapsed, String err) {
    ReplState left = ReplState.named(previous);
    ReplStep failed = left == null ? null : ReplStep.reached(left);
    if (failed != null) {
      int i = failed.ordinal();
      status[i] = FAILED;
      error[i] = err;
      if (startedMs[i] >= 0 && failed != ReplStep.ONLINE) durationMs[i] = Math.max(0, elapsed - startedMs[i]);
    }
    lastFailure = new JsonObject()
        .put("step", failed == null ? null : failed.id())
        .put("state", previous)
        .put("error", err)
        .put("attempt", attempt)
        .put("elapsed_ms", elapsed);
  }

  /** Whether any event has been seen for a link (a replica); false on a master. */
  boolean active() {
    return host != null;
  }

  /**
   * {@code {"host","port","state","attempt","total_ms","last_failure":{step,state,error,attempt,elapsed_ms},
   * "steps":[{"step","label","status","started_ms","duration_ms","error"}]}}; absent numbers are null.
   */
  JsonObject toJson() {
    JsonArray steps = new JsonArray();
    for (ReplStep st : STEPS) {
      int i = st.ordinal();
      steps.add(new JsonObject()
          .put("step", st.id())
          .put("label", st.label())
          .put("status", status[i])
          .put("started_ms", startedMs[i] < 0 ? null : startedMs[i])
          .put("duration_ms", durationMs[i] < 0 ? null : durationMs[i])
          .put("error", error[i]));
    }
    return new JsonObject()
        .put("host", host)
        .put("port", host == null ? null : port)
        .put("state", state)
        .put("attempt", attempt)
        .put("total_ms", totalMs < 0 ? null : totalMs)
        .put("last_failure", lastFailure)
        .put("steps", steps);
  }
}
