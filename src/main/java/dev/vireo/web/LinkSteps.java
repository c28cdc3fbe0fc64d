package dev.vireo.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The replica link's current attempt as the seven steps a person reads (connect, PING, AUTH, REPLCONF, PSYNC,
 * transfer/load, stream online), folded from the {@code vireo.replication.state} events: each event names the
 * state the link entered ({@code REPL_STATE_*}) and the milliseconds since the attempt began, so a step's
 * duration is the time between entering it and entering a later one.
 *
 * <p>Not thread-safe: fed and read on the HTTP verticle's event loop only.
 */
final class LinkSteps {
  /** The steps in handshake order; {@code optional} ones may be skipped (no masterauth, partial resync). */
  enum Step {
    CONNECT("connect", "Connect", false),
    PING("ping", "PING", false),
    AUTH("auth", "AUTH", true),
    REPLCONF("replconf", "REPLCONF", false),
    PSYNC("psync", "PSYNC", false),
    TRANSFER("transfer", "Transfer / load", true),
    ONLINE("online", "Stream online", false);

    final String id;
    final String label;
    final boolean optional;

    Step(String id, String label, boolean optional) {
      this.id = id;
      this.label = label;
      this.optional = optional;
    }
  }

  static final String PENDING = "pending";
  static final String ACTIVE = "active";
  static final String DONE = "done";
  static final String FAILED = "failed";
  static final String SKIPPED = "skipped";

  private final String[] status = new String[Step.values().length];
  private final long[] startedMs = new long[Step.values().length];
  private final long[] durationMs = new long[Step.values().length];
  private final String[] error = new String[Step.values().length];

  private String host;
  private int port;
  private String state = "NONE";
  private int attempt;
  private long totalMs = -1;
  private JsonObject lastFailure;

  LinkSteps() {
    reset();
  }

  /**
   * The step a state belongs to, or null for the states between steps (CONNECT waits for an attempt, NONE is
   * no link, SEND_HANDSHAKE only closes the PING step: AUTH or REPLCONF comes next).
   */
  static Step stepOf(String state) {
    return switch (state) {
      case "CONNECTING" -> Step.CONNECT;
      case "RECEIVE_PING_REPLY" -> Step.PING;
      case "RECEIVE_AUTH_REPLY" -> Step.AUTH;
      case "RECEIVE_PORT_REPLY", "RECEIVE_IP_REPLY", "RECEIVE_CAPA_REPLY" -> Step.REPLCONF;
      case "SEND_PSYNC", "RECEIVE_PSYNC_REPLY" -> Step.PSYNC;
      case "TRANSFER" -> Step.TRANSFER;
      case "CONNECTED" -> Step.ONLINE;
      default -> null;
    };
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
    Step step = stepOf(next);
    int upTo = step != null ? step.ordinal() : (next.equals("SEND_HANDSHAKE") ? Step.AUTH.ordinal() : -1);
    if (upTo < 0) return;
    // every step before the one entered is over: finished if it ran, skipped if it was optional and never ran
    for (int i = 0; i < upTo; i++) {
      if (status[i].equals(ACTIVE)) {
        status[i] = DONE;
        durationMs[i] = Math.max(0, elapsed - startedMs[i]);
      } else if (status[i].equals(PENDING)) {
        // not seen: an optional step was not needed; a required one happened before this page was watching
        status[i] = Step.values()[i].optional ? SKIPPED : DONE;
      }
    }
    if (step == null) return;
    int s = step.ordinal();
    if (step == Step.ONLINE) {
      status[s] = DONE;
      startedMs[s] = elapsed;
      totalMs = elapsed;
      lastFailure = null;
    } else if (!status[s].equals(ACTIVE)) {
      status[s] = ACTIVE;
      // the attempt begins with the connection, whenever its first event got out
      startedMs[s] = step == Step.CONNECT ? 0 : elapsed;
    }
  }

  /** The attempt failed in the step that was running (or, after the stream was online, the online step). */
  private void failActive(String previous, long elapsed, String err) {
    Step failed = stepOf(previous);
    if (failed == null && previous.equals("SEND_HANDSHAKE")) failed = Step.PING;
    if (failed == null) {
      for (int i = status.length - 1; i >= 0 && failed == null; i--) {
        if (status[i].equals(ACTIVE)) failed = Step.values()[i];
      }
    }
    if (failed != null) {
      int i = failed.ordinal();
      status[i] = FAILED;
      error[i] = err;
      if (startedMs[i] >= 0 && failed != Step.ONLINE) durationMs[i] = Math.max(0, elapsed - startedMs[i]);
    }
    lastFailure = new JsonObject()
        .put("step", failed == null ? null : failed.id)
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
    for (Step st : Step.values()) {
      int i = st.ordinal();
      steps.add(new JsonObject()
          .put("step", st.id)
          .put("label", st.label)
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
