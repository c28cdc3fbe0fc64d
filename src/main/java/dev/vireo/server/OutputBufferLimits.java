package dev.vireo.server;

import dev.vireo.config.ServerConfig;

/**
 * {@code client-output-buffer-limit <class> <hard> <soft> <soft-seconds>} for the normal, replica and pubsub
 * classes, kept parsed (checked whenever output grows) and re-read on CONFIG SET. One rule for every class: a
 * connection holding at least the hard limit, or at least the soft limit for longer than the soft seconds, is
 * closed. The master client is held to the normal class, as in Redis; a zero disables that limit.
 */
public final class OutputBufferLimits {
  /** One class's limits in bytes and seconds. */
  public record Limit(long hard, long soft, long softSeconds) {
    static final Limit NONE = new Limit(0, 0, 0);

    public boolean none() {
      return hard == 0 && soft == 0;
    }
  }

  /**
   * The time a connection has been over its soft limit, one per connection. {@link #reached} tells whether the
   * output it holds now breaks its class's limits.
   */
  public static final class SoftClock {
    private long overSinceMillis;

    /**
     * True when {@code used} bytes break {@code limit}: the hard limit at once; the soft limit once it has been
     * held for more than the soft seconds (the first time over starts the clock; dropping under resets it).
     */
    public boolean reached(Limit limit, long used, long nowMillis) {
      if (limit.hard > 0 && used >= limit.hard) return true;
      if (limit.soft > 0 && used >= limit.soft) {
        if (overSinceMillis == 0) {
          overSinceMillis = nowMillis;
          return false;
        }
        return nowMillis - overSinceMillis > limit.softSeconds * 1000;
      }
      overSinceMillis = 0;
      return false;
    }
  }

  private volatile Limit normal = Limit.NONE;
  private volatile Limit replica = Limit.NONE;
  private volatile Limit pubsub = Limit.NONE;

  public OutputBufferLimits(ServerConfig config) {
    parse(config.get("client-output-buffer-limit"));
    config.onChange("client-output-buffer-limit", v -> parse(config.get("client-output-buffer-limit")));
  }

  /** The value as CONFIG GET shows it: {@code normal h s t replica h s t pubsub h s t}. */
  private void parse(String value) {
    String[] w = value.split(" ");
    for (int i = 0; i + 3 < w.length; i += 4) {
      Limit l = new Limit(Long.parseLong(w[i + 1]), Long.parseLong(w[i + 2]), Long.parseLong(w[i + 3]));
      switch (w[i]) {
        case "normal" -> normal = l;
        case "replica", "slave" -> replica = l;
        case "pubsub" -> pubsub = l;
        default -> { }
      }
    }
  }

  public Limit normal() {
    return normal;
  }

  public Limit replica() {
    return replica;
  }

  public Limit pubsub() {
    return pubsub;
  }

  /** The limits of a client's class: replica, pubsub (subscribed to something), or normal (the master too). */
  Limit of(Client c) {
    if (c.replica != null) return replica;
    return c.subscriptionCount() > 0 ? pubsub : normal;
  }
}
