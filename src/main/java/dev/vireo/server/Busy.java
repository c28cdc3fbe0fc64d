package dev.vireo.server;

import java.util.ArrayList;
import java.util.List;

/**
 * Busy mode: a script has run past {@code busy-reply-threshold} and holds the keyspace on the script thread, while
 * the data loop goes on reading connections. In this mode the data loop touches nothing the script may touch (the
 * keyspace, the dispatcher's bookkeeping, statistics, blocked clients, the replica link's stream): the dispatcher
 * answers {@code -BUSY} to every command without {@code allow-busy}, and work that needs the keyspace is {@link
 * #defer deferred} until the script ends. Data loop only.
 */
public final class Busy {
  public static final String EVAL_REPLY =
      "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
  public static final String FUNCTION_REPLY =
      "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";

  private boolean active;
  private String reply = EVAL_REPLY;
  private List<Runnable> deferred = new ArrayList<>();
  /** Error codes of the commands refused meanwhile: counted in the error statistics once the script ends. */
  final List<String> rejected = new ArrayList<>();
  /**
   * The commands refused or run meanwhile, for their commandstats once the script ends (the script thread counts
   * its own calls meanwhile).
   */
  final List<Counted> counted = new ArrayList<>();

  /** A command refused, or run (and failed or not), while a script was busy, and the microseconds it ran. */
  record Counted(CommandSpec cmd, boolean refused, boolean failed, long micros) {}

  /** True while a script holds the keyspace past the threshold. */
  public boolean active() {
    return active;
  }

  /** The -BUSY error for the running script (EVAL or FCALL variant). */
  public String reply() {
    return reply;
  }

  /** The script thread holds the keyspace from now on, until {@link #exit}. */
  public void enter(String reply) {
    this.reply = reply;
    active = true;
  }

  /**
   * The keyspace is back on the data loop: the deferred work runs now, in the order it was deferred (cron ticks,
   * the master's stream, clients that waited).
   */
  public void exit(Server server) {
    active = false;
    for (String code : rejected) server.stats.recordError(code);
    rejected.clear();
    for (Counted k : counted) {
      if (k.refused()) {
        k.cmd().rejectedCalls++;
      } else {
        k.cmd().calls++;
        k.cmd().micros += k.micros();
        if (k.failed()) k.cmd().failedCalls++;
      }
    }
    counted.clear();
    while (!deferred.isEmpty() && !active) {
      List<Runnable> todo = deferred;
      deferred = new ArrayList<>();
      for (int i = 0; i < todo.size(); i++) {
        if (active) { // a deferred command started another busy script: keep the rest for its end
          deferred.addAll(0, todo.subList(i, todo.size()));
          return;
        }
        todo.get(i).run();
      }
    }
  }

  /** Runs {@code r} now, or when the script ends if busy; returns true when deferred. */
  public boolean defer(Runnable r) {
    if (!active) {
      r.run();
      return false;
    }
    deferred.add(r);
    return true;
  }
}
