package dev.vireo.server;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * LATENCY: per event ("command", "fast-command"), the samples at or above {@code latency-monitor-threshold}
 * milliseconds, one per second (the worst of that second), the last 160 kept, plus the all-time maximum.
 */
public final class LatencyMonitor {
  static final int HISTORY = 160;

  /** One second's worst latency of an event. */
  public record Sample(long unixSeconds, long millis) {}

  /** An event's history and maximum. */
  public static final class Event {
    public final Deque<Sample> samples = new ArrayDeque<>();
    public long max;
  }

  private final Map<String, Event> events = new LinkedHashMap<>();

  void record(String event, long millis) {
    long now = System.currentTimeMillis() / 1000;
    Event e = events.computeIfAbsent(event, k -> new Event());
    Sample last = e.samples.peekLast();
    if (last != null && last.unixSeconds() == now) {
      if (millis > last.millis()) {
        e.samples.pollLast();
        e.samples.addLast(new Sample(now, millis));
      }
    } else {
      e.samples.addLast(new Sample(now, millis));
      if (e.samples.size() > HISTORY) e.samples.pollFirst();
    }
    e.max = Math.max(e.max, millis);
  }

  public Map<String, Event> events() {
    return events;
  }

  /** Forgets the named events (all when none named); returns how many were reset. */
  public int reset(Iterable<String> names) {
    int n = 0;
    boolean any = false;
    for (String name : names) {
      any = true;
      if (events.remove(name) != null) n++;
    }
    if (!any) {
      n = events.size();
      events.clear();
    }
    return n;
  }
}
