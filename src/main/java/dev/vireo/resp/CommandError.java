package dev.vireo.resp;

/** A user error: the command replies with this exact Redis error text (code included) and has no effect. */
public final class CommandError extends RuntimeException {
  private final boolean rejected;

  public CommandError(String message) {
    this(message, false);
  }

  private CommandError(String message, boolean rejected) {
    super(message, null, false, false);
    this.rejected = rejected;
  }

  /**
   * A refusal Redis makes before the command runs (-OOM, -READONLY for a script that declares it may write): counted
   * in {@code rejected_calls}, not as a call.
   */
  public static CommandError rejected(String message) {
    return new CommandError(message, true);
  }

  public boolean isRejected() {
    return rejected;
  }
}
