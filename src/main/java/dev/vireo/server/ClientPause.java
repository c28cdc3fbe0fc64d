package dev.vireo.server;

import dev.vireo.resp.Args;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Paused clients, as Redis 7.0 pauses them: {@code CLIENT PAUSE}, a {@code FAILOVER} and a {@code SHUTDOWN} waiting
 * for its replicas each pause for a purpose of their own, and the node is paused as the most restrictive of them
 * asks, until the latest end. A {@link Kind#WRITE} pause holds every command that may change the dataset or the
 * replication stream (writes, {@code PUBLISH}, {@code PFCOUNT}, scripts that may write, {@code EXEC} of such
 * commands); a {@link Kind#ALL} pause holds every command. Replicas' connections are never held.
 *
 * <p>A held client is postponed: its command waits, with the rest of its input, and runs when the pause no longer
 * holds it, clients in the order they were postponed. While any pause is on, the dataset stays still from the inside
 * too: keys are not expired (an expired key reads as missing but stays stored) and nothing is evicted. A replica
 * paused stops applying its master's writes, which it reads on meanwhile. Data loop only.
 */
public final class ClientPause {
  /** What a pause holds, from the least to the most restrictive. */
  public enum Kind {
    OFF, WRITE, ALL
  }

  /** Why the node is paused: each purpose keeps its own kind and end, and is lifted on its own. */
  public enum Purpose {
    CLIENT_COMMAND, SHUTDOWN, FAILOVER
  }

  private record Pause(Kind kind, long endMillis) {}

  private final Map<Purpose, Pause> pauses = new EnumMap<>(Purpose.class);
  private Kind kind = Kind.OFF;
  private long endMillis;
  /** Clients whose command waits for the pause to end, in the order they were postponed. */
  private final Set<Client> postponed = new LinkedHashSet<>();
  /** Work waiting for the pause to end (a replica's stream). */
  private final List<Runnable> waiting = new ArrayList<>();
  private final Server server;
  private Vertx vertx;
  private long timer = -1;
  private boolean resuming;

  ClientPause(Server server) {
    this.server = server;
  }

  void start(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Pauses for {@code purpose} until {@code endMillis} (unix time; {@link Long#MAX_VALUE}: until lifted). A purpose
   * already paused keeps the more restrictive kind and the later end, as Redis does.
   */
  public void pause(Purpose purpose, Kind kind, long endMillis) {
    Pause p = pauses.get(purpose);
    if (p != null) {
      kind = kind.compareTo(p.kind) > 0 ? kind : p.kind;
      endMillis = Math.max(endMillis, p.endMillis);
    }
    pauses.put(purpose, new Pause(kind, endMillis));
    update();
  }

  /** Lifts the pause of {@code purpose}; the held clients whose commands the rest no longer hold go on. */
  public void unpause(Purpose purpose) {
    if (pauses.remove(purpose) != null) update();
  }

  /** Cheap test for the hot path: true when a pause may be on (its end is checked by {@link #paused}). */
  public boolean on() {
    return kind != Kind.OFF;
  }

  /** True while any pause is on (its end not passed): keys neither expire nor are evicted. */
  public boolean paused() {
    if (kind == Kind.OFF) return false;
    expireIfDue();
    return kind != Kind.OFF;
  }

  /** True while {@code purpose} pauses the node. */
  public boolean pausedFor(Purpose purpose) {
    paused();
    return pauses.containsKey(purpose);
  }

  /** The kind of pause in force. */
  public Kind kind() {
    paused();
    return kind;
  }

  /** When the pause in force ends (unix milliseconds), or 0 when none is. */
  public long endMillis() {
    return paused() ? endMillis : 0;
  }

  /**
   * Whether the pause holds this command of {@code c}: every command under ALL, under WRITE those that may write or
   * replicate ({@code flags}: the command's flags as its arguments make them, see {@link CommandSpec#flags(Args)};
   * for EXEC, those of the commands it would run). A replica's connection is never held.
   */
  public boolean holds(Client c, int flags) {
    if (kind == Kind.OFF || c.replica != null || !paused()) return false;
    return kind == Kind.ALL || (flags & (CommandSpec.WRITE | CommandSpec.MAY_REPLICATE)) != 0;
  }

  /** Holds {@code c}'s command {@code a} (copied) until the pause no longer holds it. */
  void postpone(Client c, Args a) {
    c.postponed = Args.of(a.toArray());
    postponed.add(c);
  }

  /** Runs {@code work} once no pause is on (now when none is). */
  public void whenUnpaused(Runnable work) {
    if (!paused()) work.run();
    else waiting.add(work);
  }

  /** Clients held by the pause (counted in {@code blocked_clients}). */
  public int postponedCount() {
    return postponed.size();
  }

  /** A closed client is forgotten. */
  void forget(Client c) {
    if (postponed.remove(c)) c.postponed = null;
  }

  private void expireIfDue() {
    Pause p = pauses.get(Purpose.CLIENT_COMMAND);
    if (p != null && p.endMillis <= System.currentTimeMillis()) {
      pauses.remove(Purpose.CLIENT_COMMAND);
      update();
    }
  }

  /** Recomputes the kind and end in force; when the pause got less restrictive, the held clients go on. */
  private void update() {
    Kind before = kind;
    Kind k = Kind.OFF;
    long end = 0;
    for (Pause p : pauses.values()) {
      if (p.kind.compareTo(k) > 0) k = p.kind;
      end = Math.max(end, p.endMillis);
    }
    kind = k;
    endMillis = end;
    server.keyspace().holdExpiry(kind != Kind.OFF);
    schedule();
    if (kind.compareTo(before) < 0) resume();
  }

  /** A timer for the end of CLIENT PAUSE, so that held clients go on when it passes even with no other traffic. */
  private void schedule() {
    if (vertx == null) return;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    Pause p = pauses.get(Purpose.CLIENT_COMMAND);
    if (p == null) return;
    long delay = p.endMillis - System.currentTimeMillis();
    timer = vertx.setTimer(Math.max(1, Math.min(delay + 1, Integer.MAX_VALUE)), id -> {
      timer = -1;
      server.busy.defer(this::paused);
    });
  }

  /**
   * The held clients go on, in the order they were held: each runs its held command (held again if the pause still
   * holds it), then the rest of its input. Then the work that waited for the end of every pause.
   */
  private void resume() {
    if (resuming) return;
    if (server.busy.active()) { // a script holds the keyspace: after it
      server.busy.defer(this::resume);
      return;
    }
    resuming = true;
    try {
      List<Client> ready = new ArrayList<>(postponed);
      postponed.clear();
      for (Client c : ready) {
        Args a = c.postponed;
        c.postponed = null;
        if (a == null || c.isClosing()) continue;
        server.dispatcher.execute(c, a);
        if (c.postponed == null) c.processInput();
      }
      if (kind == Kind.OFF && !waiting.isEmpty()) {
        List<Runnable> todo = new ArrayList<>(waiting);
        waiting.clear();
        for (Runnable r : todo) r.run();
      }
    } finally {
      resuming = false;
    }
    server.clients.flushPending();
  }
}
