package dev.vireo.observability.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The coordinated failover's meters, fed by the events at {@code vireo.replication.failover} of the node that runs
 * it: {@code vireo_failover_total{outcome}} (done: the target caught up; forced: FORCE went on at the timeout;
 * aborted) and {@code vireo_failover_pause_seconds}, how long writes were paused, from FAILOVER to the target's
 * answer or the abort. Durations are the events' own {@code elapsed_ms}. Registered up front, at zero; the handler
 * runs on one event loop, the meters are thread-safe for the scrape.
 */
final class FailoverMeters {
  static final List<String> OUTCOMES = List.of("done", "forced", "aborted");
  private static final Duration[] PAUSE_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
      Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
      Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

  private final Map<String, Counter> outcomes = new TreeMap<>();
  private final Timer pause;
  /** The failover followed went on without its target catching up. */
  private boolean forced;

  FailoverMeters(MeterRegistry registry) {
    for (String o : OUTCOMES) {
      outcomes.put(o, Counter.builder("vireo.failover").tag("outcome", o)
          .description("Coordinated failovers (FAILOVER) this node ran, by outcome: done (the target caught up), "
              + "forced (FORCE went on at the timeout), aborted")
          .register(registry));
    }
    pause = Timer.builder("vireo.failover.pause")
        .description("How long a coordinated failover paused writes, from FAILOVER to the target's answer to "
            + "PSYNC ... FAILOVER or the abort")
        .serviceLevelObjectives(PAUSE_BUCKETS).register(registry);
  }

  /** A {@code vireo.replication.failover} event. */
  synchronized void onEvent(JsonObject ev) {
    if (!"master".equals(ev.getString("side"))) return;
    String phase = ev.getString("phase");
    if (phase == null) return;
    switch (phase) {
      case "started" -> forced = false;
      case "forced" -> forced = true;
      case "role-switched" -> pause.record(elapsed(ev));
      case "aborted" -> {
        pause.record(elapsed(ev));
        outcomes.get("aborted").increment();
      }
      case "done" -> outcomes.get(forced ? "forced" : "done").increment();
      default -> { }
    }
  }

  private static Duration elapsed(JsonObject ev) {
    Object v = ev.getValue("elapsed_ms");
    return Duration.ofMillis(v instanceof Number n ? Math.max(0, n.longValue()) : 0);
  }
}
