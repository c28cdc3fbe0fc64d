package dev.vireo.bus;

/** Every event-bus address the node uses, in one place. */
public final class Addresses {
  private Addresses() {}

  /**
   * Request/reply, answered on the data loop: {@code {"status":"ok","role":..,"port":..,"uptime_in_seconds":..,
   * "connected_clients":..,"keys":..}}. A reply proves the data loop is responsive.
   */
  public static final String HEALTH = "vireo.node.health";
}
