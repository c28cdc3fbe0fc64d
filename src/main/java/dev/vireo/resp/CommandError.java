package dev.vireo.resp;

/** A user error: the command replies with this exact Redis error text (code included) and has no effect. */
public final class CommandError extends RuntimeException {
  public CommandError(String message) {
    super(message, null, false, false);
  }
}
