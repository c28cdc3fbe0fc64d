package dev.vireo.bus;

/** Every event-bus address the node uses, in one place. */
public final class Addresses {
  private Addresses() {}

  /**
   * Request/reply, answered on the data loop: {@code {"status":"ok","role":..,"port":..,"uptime_in_seconds":..,
   * "connected_clients":..,"keys":..}}. A reply proves the data loop is responsive.
   */
  public static final String HEALTH = "vireo.node.health";

  /**
   * Published on every change of the replica link's state: {@code {"state":..,"previous":..,"master_host":..,
   * "master_port":..,"attempt":..,"elapsed_ms":..,"detail":..,"error":..}} (state names are Redis's
   * {@code REPL_STATE_*} names; {@code detail} and {@code error} only when there is one; never a password).
   */
  public static final String REPLICATION_STATE = "vireo.replication.state";
}
