package dev.vireo.server;

import dev.vireo.resp.Args;

/**
 * The ACL users as the core sees them (the users themselves live above it): whether new connections must
 * authenticate, AUTH, and the permission check the dispatcher, MULTI and scripts run before a command.
 */
public interface AccessControl {
  /** Where a refused command was called from, as ACL LOG's {@code context} names it. */
  enum Context {
    TOPLEVEL("toplevel"), MULTI("multi"), LUA("lua");

    public final String logName;

    Context(String logName) {
      this.logName = logName;
    }
  }

  /** What a refusal was about, in ACL LOG's words ({@code reason}). */
  enum Denial {
    COMMAND("command"), KEY("key"), CHANNEL("channel");

    public final String logName;

    Denial(String logName) {
      this.logName = logName;
    }
  }

  /** A refused command: what was refused and the argument that made it so (the command's full name for COMMAND). */
  record Refusal(Denial denial, String object) {
    /** The reply to a client's own call (and to a call queued in MULTI). */
    public String error() {
      return switch (denial) {
        case COMMAND -> "NOPERM this user has no permissions to run the '" + object + "' command";
        case KEY -> "NOPERM this user has no permissions to access one of the keys used as arguments";
        case CHANNEL -> "NOPERM this user has no permissions to access one of the channels used as arguments";
      };
    }

    /** The reply in EXEC's array to a queued command the rules no longer allow. */
    public String execError() {
      return "NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. "
          + "This command is no longer allowed for the following reason: " + switch (denial) {
            case COMMAND -> "no permission to execute the command or subcommand";
            case KEY -> "no permission to touch the specified keys";
            case CHANNEL -> "no permission to access one of the channels used as arguments";
          };
    }

    /** The error redis.call raises (and redis.pcall returns) in a script. */
    public String scriptError() {
      return switch (denial) {
        case COMMAND -> "The user executing the script can't run this command or subcommand";
        case KEY -> "The user executing the script can't access at least one of the keys mentioned in the command "
            + "arguments";
        case CHANNEL -> "The user executing the script can't publish to the channel mentioned in the command";
      };
    }
  }

  /** True when the default user has a password (or is off): new connections start unauthenticated. */
  boolean authRequired();

  /**
   * True when {@code user}/{@code password} authenticate: the client then runs as that user. A failure goes to the
   * ACL log, {@code command} (AUTH or HELLO, as typed) as its object.
   */
  boolean authenticate(Client c, String user, byte[] password, String command);

  /** True when there is a user by that name (CLIENT KILL USER). */
  boolean hasUser(String name);

  /** True when the default user has {@code nopass} (AUTH with a password only is then an error). */
  boolean defaultNopass();

  /**
   * Null when the client's user may run {@code cmd} with {@code a}; else the refusal, already in the ACL log.
   * {@code runAs} is the user (the script's caller when called from a script).
   */
  Refusal check(Client logged, String runAs, CommandSpec cmd, Args a, Context context);
}
