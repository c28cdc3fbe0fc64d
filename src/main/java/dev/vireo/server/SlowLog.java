package dev.vireo.server;

import java.util.ArrayDeque;
import java.util.Deque;

/** SLOWLOG: the most recent commands that took longer than {@code slowlog-log-slower-than} microseconds. */
public final class SlowLog {
  /** One logged command; arguments already truncated as Redis does (32 args, 128 bytes each). */
  public record Item(long id, long unixSeconds, long micros, byte[][] args, String addr, String name) {}

  private final Deque<Item> items = new ArrayDeque<>();
  private long nextId;

  void add(long micros, byte[][] args, String addr, String name, int maxLen) {
    items.addFirst(new Item(nextId++, System.currentTimeMillis() / 1000, micros, args, addr, name));
    while (items.size() > maxLen) items.removeLast();
  }

  public Deque<Item> items() {
    return items;
  }

  public void reset() {
    items.clear();
  }
}
