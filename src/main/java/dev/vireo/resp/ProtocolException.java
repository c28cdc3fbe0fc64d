package dev.vireo.resp;

/** Malformed input: the connection gets {@code -ERR Protocol error: <message>} and is closed. */
public final class ProtocolException extends Exception {
  public ProtocolException(String message) {
    super(message, null, false, false);
  }
}
