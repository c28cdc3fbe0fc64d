package dev.vireo.replication;

/**
 * The states of the link to the master, with Redis's names and order ({@code REPL_STATE_*}). Which replication
 * step each one belongs to is {@link ReplStep#of}.
 */
public enum ReplState {
  /** Not a replica. */
  NONE,
  /** Must connect (waiting for the next attempt). */
  CONNECT,
  /** TCP connection in progress. */
  CONNECTING,
  RECEIVE_PING_REPLY,
  SEND_HANDSHAKE,
  RECEIVE_AUTH_REPLY,
  RECEIVE_PORT_REPLY,
  RECEIVE_IP_REPLY,
  RECEIVE_CAPA_REPLY,
  SEND_PSYNC,
  RECEIVE_PSYNC_REPLY,
  /** Receiving (then loading) the RDB of a full resynchronization. */
  TRANSFER,
  /** Applying the master's command stream. */
  CONNECTED;

  /** The link state as ROLE names it. */
  public String roleName() {
    return switch (this) {
      case NONE -> "none";
      case CONNECT -> "connect";
      case CONNECTING -> "connecting";
      case TRANSFER -> "sync";
      case CONNECTED -> "connected";
      default -> "handshake";
    };
  }

  /** The state with this name, as the {@code vireo.replication.state} events carry it; null for null or unknown. */
  public static ReplState named(String name) {
    if (name == null) return null;
    try {
      return valueOf(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Between the TCP connection and the PSYNC reply. */
  public boolean inHandshake() {
    return ordinal() >= RECEIVE_PING_REPLY.ordinal() && ordinal() <= RECEIVE_PSYNC_REPLY.ordinal();
  }
}
