package dev.vireo.observability.metrics;

import dev.vireo.replication.ReplState;
import dev.vireo.replication.ReplStep;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Vireo's replication meters, fed by the replica link's state events ({@code vireo.replication.state}) and the
 * master's per-replica events ({@code vireo.replication.replicas}). Which step a state belongs to, and where a
 * failure happened, is the one mapping of {@link ReplStep}, shared with the spans and the status page.
 *
 * <p>Durations come from the events' own clock: each state event carries {@code elapsed_ms} since its attempt
 * started, so a step lasts from the event that enters it to the event that enters the next one, whatever the
 * delivery delay. Every meter is registered up front (zero counts) so that dashboards find every series before the
 * first handshake. The handlers run on one event loop; the meters are thread-safe for the scrape.
 */
final class ReplicationMeters {
  /** The handshake steps, timed here: connect through psync (the transfer has its own timer, the full sync). */
  static final List<String> HANDSHAKE_STEPS = Arrays.stream(ReplStep.values()).filter(ReplicationMeters::timed)
      .map(ReplicationMeters::tag).toList();
  /** Where an attempt can fail: every step, the established link ({@code link}) included. */
  static final List<String> FAILURE_STEPS = Arrays.stream(ReplStep.values()).map(ReplicationMeters::tag).toList();

  private static final Duration[] STEP_BUCKETS = millis(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000,
      10000, 30000, 60000);
  private static final Duration[] SYNC_BUCKETS = millis(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000,
      30000, 60000, 120000, 300000, 600000);

  private final Map<ReplStep, Timer> stepTimers = new EnumMap<>(ReplStep.class);
  private final Map<ReplStep, Counter> failures = new EnumMap<>(ReplStep.class);
  private final Map<String, Timer> syncTimers = new HashMap<>();
  private final Timer fullSync;
  private final Timer servedFullSync;
  private final DistributionSummary servedRdbBytes;
  private final DistributionSummary servedBacklogBytes;
  /** The link's state as the last event told; read by the scrape. */
  private volatile ReplState linkState = ReplState.NONE;

  /** The attempt being followed, null between attempts or when its start was not seen. */
  private Attempt current;
  /** Master side: when each replica's full resynchronization started (by replica and client id). */
  private final Map<String, Long> servedFullSyncStart = new HashMap<>();

  private static final class Attempt {
    final int number;
    ReplStep step;
    long stepStartMs;
    long transferStartMs = -1;

    Attempt(int number) {
      this.number = number;
    }
  }

  ReplicationMeters(MeterRegistry registry) {
    for (ReplStep step : ReplStep.values()) {
      if (!timed(step)) continue;
      stepTimers.put(step, Timer.builder("vireo.replication.handshake.step").tag("step", tag(step))
          .description("Duration of each step of a replica's handshake with its master, from the step's first "
              + "state to the next step's")
          .serviceLevelObjectives(STEP_BUCKETS).register(registry));
    }
    for (ReplStep step : ReplStep.values()) {
      failures.put(step, Counter.builder("vireo.replication.sync.failures").tag("step", tag(step))
          .description("Synchronization attempts that failed, by the step where they failed (link: an "
              + "established link that dropped)")
          .register(registry));
    }
    for (String kind : List.of("full", "partial")) {
      syncTimers.put(kind, Timer.builder("vireo.replication.sync").tag("kind", kind)
          .description("Duration of successful synchronization attempts, from the TCP connection to the stream "
              + "flowing, by full or partial resynchronization")
          .serviceLevelObjectives(SYNC_BUCKETS).register(registry));
    }
    fullSync = Timer.builder("vireo.replication.full.sync")
        .description("Replica side: duration of a full resynchronization, from the master's +FULLRESYNC to the "
            + "received RDB loaded")
        .serviceLevelObjectives(SYNC_BUCKETS).register(registry);
    servedFullSync = Timer.builder("vireo.replication.served.full.sync")
        .description("Master side: duration of a full resynchronization served to a replica, from +FULLRESYNC to "
            + "the replica online")
        .serviceLevelObjectives(SYNC_BUCKETS).register(registry);
    servedRdbBytes = DistributionSummary.builder("vireo.replication.served.full.sync.rdb").baseUnit("bytes")
        .description("Master side: size of the RDB sent by each full resynchronization served")
        .register(registry);
    servedBacklogBytes = DistributionSummary.builder("vireo.replication.served.partial.sync.backlog")
        .baseUnit("bytes")
        .description("Master side: backlog bytes sent by each partial resynchronization accepted")
        .register(registry);
    for (ReplState s : ReplState.values()) {
      Gauge.builder("vireo.replication.state", this, m -> m.linkState == s ? 1 : 0).tag("state", s.name())
          .description("1 for the replica link's current state (Redis's REPL_STATE names; NONE: not a replica)")
          .strongReference(true).register(registry);
    }
  }

  /** The steps with a duration timer: the handshake, connect through psync. */
  private static boolean timed(ReplStep step) {
    return step.compareTo(ReplStep.PSYNC) <= 0;
  }

  /**
   * The {@code step} tag of a step: its id, except the online step, whose failure is the established link
   * dropping and has always been tagged {@code link} (dashboards and alerts use it).
   */
  static String tag(ReplStep step) {
    return step == ReplStep.ONLINE ? "link" : step.id();
  }

  /** A {@code vireo.replication.state} event. */
  synchronized void onState(JsonObject ev) {
    ReplState state = ReplState.named(ev.getString("state"));
    ReplState previous = ReplState.named(ev.getString("previous"));
    if (state == null) return;
    linkState = state;
    int attempt = ev.getInteger("attempt", 0);
    long elapsed = ev.getLong("elapsed_ms", 0L);
    if (ev.getString("error") != null) {
      ReplStep where = previous == null ? null : ReplStep.reached(previous);
      if (where != null) failures.get(where).increment();
      current = null;
      return;
    }
    if (state == ReplState.CONNECTING) {
      current = new Attempt(attempt);
      current.step = ReplStep.of(state);
      current.stepStartMs = elapsed;
      return;
    }
    Attempt a = current;
    if (a == null || a.number != attempt) {
      current = null; // the start of this attempt was not seen: its durations would be wrong
      return;
    }
    ReplStep step = ReplStep.of(state);
    if (step != a.step) {
      Timer t = a.step == null ? null : stepTimers.get(a.step);
      if (t != null) t.record(Duration.ofMillis(Math.max(0, elapsed - a.stepStartMs)));
      a.step = step;
      a.stepStartMs = elapsed;
    }
    if (state == ReplState.TRANSFER && a.transferStartMs < 0) a.transferStartMs = elapsed;
    if (state == ReplState.CONNECTED) {
      boolean full = a.transferStartMs >= 0;
      if (full) fullSync.record(Duration.ofMillis(Math.max(0, elapsed - a.transferStartMs)));
      syncTimers.get(full ? "full" : "partial").record(Duration.ofMillis(Math.max(0, elapsed)));
      current = null;
    }
    if (state == ReplState.NONE || state == ReplState.CONNECT) current = null;
  }

  /**
   * A {@code vireo.replication.replicas} event of a master. These carry no clock, so the served full sync is
   * timed on arrival: the delivery delay is the same at both ends and cancels out.
   */
  synchronized void onReplica(JsonObject ev) {
    String event = ev.getString("event");
    if (event == null) return;
    String who = ev.getString("replica", "") + "#" + ev.getValue("client_id", "");
    switch (event) {
      case "fullresync" -> servedFullSyncStart.put(who, System.nanoTime());
      // rdb_sent, not snapshot: a diskless transfer has no snapshot file, and both kinds end with rdb_sent
      case "rdb_sent" -> {
        Long bytes = longOrNull(ev.getValue("bytes"));
        if (bytes != null && bytes >= 0) servedRdbBytes.record(bytes);
      }
      case "continue" -> {
        Long bytes = longOrNull(ev.getValue("bytes"));
        if (bytes != null && bytes >= 0) servedBacklogBytes.record(bytes);
      }
      case "online" -> {
        Long start = servedFullSyncStart.remove(who);
        if (start != null) servedFullSync.record(Duration.ofNanos(System.nanoTime() - start));
      }
      case "disconnected" -> servedFullSyncStart.remove(who);
      default -> { }
    }
  }

  private static Long longOrNull(Object v) {
    return v instanceof Number n ? n.longValue() : null;
  }

  private static Duration[] millis(long... ms) {
    Duration[] out = new Duration[ms.length];
    for (int i = 0; i < ms.length; i++) out[i] = Duration.ofMillis(ms[i]);
    return out;
  }
}
