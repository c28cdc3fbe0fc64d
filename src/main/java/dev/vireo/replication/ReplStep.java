package dev.vireo.replication;

/**
 * The steps of a replica's synchronization attempt as a person watches them, in the order they happen, and the one
 * mapping from the link's state ({@link ReplState}) to its step. Spans, meters and the status page all read it
 * here, so that Jaeger, Prometheus and the page name the same step for the same moment of a handshake.
 *
 * <p>A step begins when the link enters the first state that belongs to it and ends when the link enters a state
 * of another step, or of none. {@link #AUTH} happens only with {@code masterauth}, {@link #TRANSFER} only for a
 * full resynchronization. A failure (an event with an {@code error}, which sends the link back to
 * {@link ReplState#CONNECT}) belongs to the step {@link #reached} in the state it left; a failure after
 * {@link #ONLINE} is the established link dropping.
 */
public enum ReplStep {
  CONNECT("connect", "Connect", false),
  PING("ping", "PING", false),
  AUTH("auth", "AUTH", true),
  REPLCONF("replconf", "REPLCONF", false),
  PSYNC("psync", "PSYNC", false),
  TRANSFER("transfer", "Transfer / load", true),
  ONLINE("online", "Stream online", false);

  private final String id;
  private final String label;
  private final boolean optional;

  ReplStep(String id, String label, boolean optional) {
    this.id = id;
    this.label = label;
    this.optional = optional;
  }

  /** The step's name as the status page and the meters' {@code step} tag record it ({@code connect}, ...). */
  public String id() {
    return id;
  }

  /** The step's name as the status page shows it. */
  public String label() {
    return label;
  }

  /** Whether an attempt may go without it: AUTH without {@code masterauth}, the transfer in a partial resync. */
  public boolean optional() {
    return optional;
  }

  /**
   * The step a state belongs to; null for the states that belong to none: NONE (not a replica), CONNECT (waiting
   * for the next attempt) and SEND_HANDSHAKE (the PING reply is in and AUTH or REPLCONF, depending on
   * {@code masterauth}, goes out at once: the PING step is over and the next one not begun).
   */
  public static ReplStep of(ReplState state) {
    return switch (state) {
      case NONE, CONNECT, SEND_HANDSHAKE -> null;
      case CONNECTING -> CONNECT;
      case RECEIVE_PING_REPLY -> PING;
      case RECEIVE_AUTH_REPLY -> AUTH;
      case RECEIVE_PORT_REPLY, RECEIVE_IP_REPLY, RECEIVE_CAPA_REPLY -> REPLCONF;
      case SEND_PSYNC, RECEIVE_PSYNC_REPLY -> PSYNC;
      case TRANSFER -> TRANSFER;
      case CONNECTED -> ONLINE;
    };
  }

  /**
   * The last step an attempt has reached in a state: its own step, or for a state between steps the one just
   * finished; null outside an attempt (NONE, CONNECT). A failure that leaves a state happened in this step.
   */
  public static ReplStep reached(ReplState state) {
    ReplStep own = of(state);
    if (own != null) return own;
    return state == ReplState.SEND_HANDSHAKE ? PING : null;
  }
}
