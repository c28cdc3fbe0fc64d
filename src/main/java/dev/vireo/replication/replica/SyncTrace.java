package dev.vireo.replication.replica;

import dev.vireo.observability.SpanNames;
import dev.vireo.observability.Tracing;
import dev.vireo.replication.ReplState;
import dev.vireo.replication.ReplStep;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.Map;

/**
 * The trace of synchronization attempts: one root span per attempt ({@link SpanNames#SYNC}) and a child span per
 * step (connect, ping, auth, replconf, psync, rdb transfer, rdb load), driven by the link's state transitions
 * through the one state-to-step mapping ({@link ReplStep}) so that spans, meters, the status page and log lines
 * tell the same story. A failure is recorded on the step where it happened ({@link ReplStep#reached}).
 * Attributes never include a password. Used on the data loop only.
 */
final class SyncTrace {
  private Span root;
  private Span step;
  private String stepName;
  /** A step that runs beside the current one (the RDB parsed while it is still being received), or null. */
  private Span overlap;
  private String overlapName;
  /** The trace the next attempt joins (a failover's), or null for a trace of its own. */
  private Context nextParent;

  /** The next attempt's root span is a child of {@code traceparent} (W3C), when it is not null. */
  void continueTrace(String traceparent) {
    nextParent = traceparent == null ? null : W3CTraceContextPropagator.getInstance().extract(Context.root(),
        Map.of("traceparent", traceparent), new TextMapGetter<Map<String, String>>() {
          @Override
          public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
          }

          @Override
          public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
          }
        });
  }

  /** Records a transition: events on the attempt, step spans opened and closed, the attempt ended. */
  void transition(ReplState previous, ReplState next, String detail, String error, String host, int port,
      int attempt) {
    if (next == ReplState.CONNECTING) {
      end(StatusCode.ERROR, "superseded by a new attempt");
      Context parent = nextParent == null ? Context.root() : nextParent;
      nextParent = null;
      root = Tracing.tracer().spanBuilder(SpanNames.SYNC).setParent(parent)
          .setAttribute(SpanNames.ATTR_MASTER_HOST, host)
          .setAttribute(SpanNames.ATTR_MASTER_PORT, (long) port)
          .setAttribute(SpanNames.ATTR_ATTEMPT, (long) attempt)
          .startSpan();
    }
    if (root == null) return;
    Attributes ev = detail == null
        ? Attributes.of(AttributeKey.stringKey(SpanNames.ATTR_STATE), next.name())
        : Attributes.of(AttributeKey.stringKey(SpanNames.ATTR_STATE), next.name(),
            AttributeKey.stringKey(SpanNames.ATTR_DETAIL), detail);
    root.addEvent(previous.name() + " -> " + next.name(), ev);
    if (error != null) {
      // a link that fails between two steps (none open) fails in the step it had reached
      ReplStep failedIn = ReplStep.reached(previous);
      if (step == null && overlap == null && failedIn != null) step(SpanNames.step(failedIn));
      for (Span s : new Span[] {step, overlap}) {
        if (s == null) continue;
        s.setStatus(StatusCode.ERROR, error);
        s.addEvent("error", Attributes.of(AttributeKey.stringKey("exception.message"), error));
      }
      end(StatusCode.ERROR, error);
      return;
    }
    if (next == ReplState.CONNECTED) {
      root.setAttribute(SpanNames.ATTR_RESULT, detail == null ? "" : detail);
      end(StatusCode.OK, null);
      return;
    }
    if (next == ReplState.NONE) {
      end(StatusCode.ERROR, "replication stopped");
      return;
    }
    ReplStep entered = ReplStep.of(next);
    if (entered == null) endStep(); // between steps: the one that ran is over, the next not begun
    else step(SpanNames.step(entered));
  }

  /**
   * The W3C traceparent of the current attempt, sent to the master so that its spans join this trace; null when
   * tracing is off.
   */
  String traceparent() {
    if (root == null || !root.getSpanContext().isValid()) return null;
    var sc = root.getSpanContext();
    return "00-" + sc.getTraceId() + "-" + sc.getSpanId() + "-" + sc.getTraceFlags().asHex();
  }

  /** Starts a step inside the current attempt (the RDB load begins within TRANSFER). */
  void step(String name) {
    if (root == null || name == null || name.equals(stepName)) return;
    if (step != null) step.end();
    if (name.equals(overlapName)) { // the step already running beside the one that ends takes over
      step = overlap;
      stepName = name;
      overlap = null;
      overlapName = null;
      return;
    }
    stepName = name;
    step = Tracing.tracer().spanBuilder(name).setParent(Context.current().with(root)).startSpan();
  }

  /**
   * Starts a step that runs beside the current one, which goes on: the RDB parsed from the socket while the
   * transfer step still covers its receipt. {@link #step} with the same name later makes it the current step.
   */
  void overlap(String name) {
    if (root == null || name == null || name.equals(stepName) || overlap != null) return;
    overlapName = name;
    overlap = Tracing.tracer().spanBuilder(name).setParent(Context.current().with(root)).startSpan();
  }

  /**
   * Attributes that describe the outcome, set before the attempt ends: replid, offset, and for a full resync the
   * keys loaded and the RDB's size ({@code keysLoaded} -1 for a partial one).
   */
  void outcome(String replId, long offset, long keysLoaded, long rdbBytes) {
    if (root == null) return;
    root.setAttribute(SpanNames.ATTR_REPLID, replId);
    root.setAttribute(SpanNames.ATTR_OFFSET, offset);
    if (keysLoaded >= 0) {
      root.setAttribute(SpanNames.ATTR_KEYS_LOADED, keysLoaded);
      root.setAttribute(SpanNames.ATTR_RDB_BYTES, rdbBytes);
    }
  }

  private void endStep() {
    if (step != null) step.end();
    step = null;
    stepName = null;
  }

  private void end(StatusCode status, String description) {
    if (overlap != null) overlap.end();
    overlap = null;
    overlapName = null;
    endStep();
    if (root != null) {
      if (status == StatusCode.ERROR) root.setStatus(status, description);
      else root.setStatus(status);
      root.end();
    }
    root = null;
  }
}
