package dev.vireo.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A shutdown as Redis 7.0 runs it ({@code SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]}, SIGTERM, SIGINT): when a
 * replica has not acknowledged the whole stream, the node first pauses writes (a {@link ClientPause.Purpose#SHUTDOWN}
 * pause), asks the replicas for an ACK and waits, up to {@code shutdown-timeout} seconds, until every replica's
 * acknowledged offset reaches its own; then it saves (with save points or SAVE) and exits. NOW skips the wait,
 * FORCE exits even when the save fails, ABORT cancels a shutdown still waiting. The clients that asked stay blocked:
 * the exit closes their connection, a failed or aborted shutdown answers them with an error. Data loop only.
 */
public final class ShutdownWait {
  public static final int SAVE = 1;
  public static final int NOSAVE = 2;
  public static final int NOW = 4;
  public static final int FORCE = 8;

  static final String FAILED = "ERR Errors trying to SHUTDOWN. Check logs.";

  /** What became of a request: the node exits, waits for its replicas, or could not shut down. */
  public enum Outcome {
    EXITING, WAITING, FAILED
  }

  private final Server server;
  /** When the wait gives up on the replicas (unix milliseconds); 0 while no shutdown is in progress. */
  private long deadlineMillis;
  private int flags;
  /** A signal asked for a shutdown the cron has not started yet (Redis's shutdown_asap). */
  private String pendingSignal;
  private boolean exiting;
  /** The clients whose SHUTDOWN waits with the node. */
  private final List<Client> waiting = new ArrayList<>();

  ShutdownWait(Server server) {
    this.server = server;
  }

  /** True while a shutdown waits for the replicas. */
  public boolean inProgress() {
    return deadlineMillis != 0;
  }

  /** How long the wait may still last (INFO's shutdown_in_milliseconds, shown while a shutdown waits). */
  public long remainingMillis() {
    return deadlineMillis - System.currentTimeMillis();
  }

  /**
   * SHUTDOWN from {@code c}: starts the shutdown, or joins the one in progress. On {@link Outcome#WAITING} the
   * client is blocked until the end; on {@link Outcome#FAILED} the caller answers the error.
   */
  public Outcome request(Client c, int flags) {
    if (inProgress() || exiting) {
      block(c);
      return Outcome.WAITING;
    }
    Outcome o = prepare(flags);
    if (o == Outcome.WAITING) block(c);
    return o;
  }

  /**
   * SIGTERM or SIGINT: a shutdown with the flags of {@code shutdown-on-sigterm} or {@code shutdown-on-sigint},
   * unless one is already in progress.
   */
  public void signal(String name) {
    server.log.warn("Received SIG" + name + " scheduling shutdown...");
    pendingSignal = name;
    if (!server.busy.active()) cron(); // else the cron starts it once the script ends, as Redis's does
  }

  /** SHUTDOWN ABORT: false when there is nothing to cancel. */
  public boolean abort() {
    if (inProgress()) {
      cancel();
    } else if (pendingSignal != null) {
      pendingSignal = null;
    } else {
      return false;
    }
    server.log.info("Shutdown manually aborted.");
    return true;
  }

  /** From the cron: a pending signal starts its shutdown; a waiting one finishes once the replicas caught up. */
  void cron() {
    if (exiting) return;
    if (pendingSignal != null && !inProgress()) {
      String name = pendingSignal;
      pendingSignal = null;
      prepare(flagsOf(server.config.get(name.equals("INT") ? "shutdown-on-sigint" : "shutdown-on-sigterm")));
    } else if (inProgress() && (System.currentTimeMillis() >= deadlineMillis || replicasCaughtUp())) {
      finish();
    }
  }

  private static int flagsOf(String value) {
    int f = 0;
    for (String w : value.toLowerCase(Locale.ROOT).split(" ")) {
      switch (w) {
        case "save" -> f |= SAVE;
        case "nosave" -> f |= NOSAVE;
        case "now" -> f |= NOW;
        case "force" -> f |= FORCE;
        default -> { } // "default"
      }
    }
    return f;
  }

  private Outcome prepare(int flags) {
    // a dataset still loading is not saved over the file it comes from
    if (server.snapshots().loading() || server.replicaRole().loading()) flags = (flags & ~SAVE) | NOSAVE;
    this.flags = flags;
    server.log.warn("User requested shutdown...");
    if ((flags & NOW) == 0 && server.config.getLong("shutdown-timeout") != 0 && !replicasCaughtUp()) {
      deadlineMillis = System.currentTimeMillis() + server.config.getLong("shutdown-timeout") * 1000;
      if (!server.pause.paused()) server.propagation().requestAck();
      server.pause.pause(ClientPause.Purpose.SHUTDOWN, ClientPause.Kind.WRITE, Long.MAX_VALUE);
      server.log.info("Waiting for replicas before shutting down.");
      return Outcome.WAITING;
    }
    return finish() ? Outcome.EXITING : Outcome.FAILED;
  }

  private boolean replicasCaughtUp() {
    for (Propagation.ReplicaLag r : server.propagation().replicaLags(server.repl.offset())) {
      if (r.behind() != 0) return false;
    }
    return true;
  }

  /** Logs the replicas left behind, saves, and exits; on a failed save (without FORCE) goes back to running. */
  private boolean finish() {
    List<Propagation.ReplicaLag> lags = server.propagation().replicaLags(server.repl.offset());
    int lagging = 0;
    for (Propagation.ReplicaLag r : lags) {
      if (r.behind() == 0) continue;
      lagging++;
      server.log.warn("Lagging replica " + r.name() + " reported offset " + r.behind() + " behind master, lag="
          + r.lagSeconds() + ", state=" + r.state() + ".");
    }
    if (!lags.isEmpty()) {
      server.log.info((lags.size() - lagging) + " of " + lags.size() + " replicas are in sync when shutting down.");
    }
    if (!server.prepareForShutdown((flags & SAVE) != 0, (flags & NOSAVE) != 0, (flags & FORCE) != 0)) {
      server.log.warn("Errors trying to shut down the server. Check the logs for more information.");
      cancel();
      return false;
    }
    exiting = true;
    deadlineMillis = 0;
    for (Client c : waiting) c.closeAfterReply();
    server.requestShutdown();
    return true;
  }

  /** Back to running: the waiting clients get an error and go on, writes are no longer paused. */
  private void cancel() {
    deadlineMillis = 0;
    flags = 0;
    pendingSignal = null;
    List<Client> blocked = new ArrayList<>(waiting);
    waiting.clear();
    for (Client c : blocked) {
      if (c.isClosing()) continue;
      server.blocking.unblock(c);
      c.out.error(FAILED);
      server.blocking.resume(c);
    }
    server.pause.unpause(ClientPause.Purpose.SHUTDOWN);
  }

  private void block(Client c) {
    if (c == null) return;
    server.blocking.block(c, List.of(), 0, new Blocking.Waiter() {
      @Override
      public boolean serve(Client client, byte[] readyKey) {
        return false;
      }

      @Override
      public void timeout(Client client) {
        // CLIENT UNBLOCK: the shutdown goes on without this client
        waiting.remove(client);
        client.out.error(FAILED);
      }
    });
    waiting.add(c);
  }

  /** A closed client no longer waits. */
  void forget(Client c) {
    waiting.remove(c);
  }
}
