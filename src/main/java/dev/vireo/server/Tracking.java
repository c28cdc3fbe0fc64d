package dev.vireo.server;

import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.resp.Errors;
import dev.vireo.resp.RespWriter;
import dev.vireo.store.Bytes;
import io.vertx.core.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Client-side caching (CLIENT TRACKING, CACHING, TRACKINGINFO, GETREDIR), as Redis 7.0 does it. The tracking table
 * maps each key a tracking client read (with a read-only command) to the ids of those clients, whatever the
 * database; a modified key ({@link #keyModified}, called where WATCH is touched: Redis's signalModifiedKey) sends
 * each of them one invalidation and leaves the table. Clients in BCAST mode instead subscribe to key prefixes: the
 * keys modified under a prefix are collected and sent together once per event-loop turn (Redis's beforeSleep). A
 * flush sends a null invalidation to every tracking client.
 *
 * <p>Invalidations go to the client itself as RESP3 pushes ({@code >2 invalidate [keys]}) or to its REDIRECT client:
 * as a push when that one speaks RESP3, as a {@code __redis__:invalidate} pub/sub message when it speaks RESP2 and is
 * subscribed to anything; nothing is sent otherwise. Those for the client whose command is running wait for its
 * reply (as Redis 7.0 holds them in its pending list). A client's ids stay in the table after it stops tracking or
 * goes, and are skipped when met, as in Redis. Data loop only (or the script thread while it holds the keyspace).
 */
public final class Tracking {
  private static final byte[] INVALIDATE = "invalidate".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CHANNEL = "__redis__:invalidate".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MESSAGE = "message".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] BROKEN = "tracking-redir-broken".getBytes(StandardCharsets.US_ASCII);

  /** A client's tracking mode (null on the client when tracking is off). */
  public static final class State {
    /** The client invalidations are sent to instead (0: none). */
    long redirect;
    boolean bcast;
    boolean optin;
    boolean optout;
    boolean noloop;
    /** CLIENT CACHING YES (OPTIN) or NO (OPTOUT) was given for the next command. */
    boolean caching;
    /** The redirect client was found gone when an invalidation was due (CLIENT LIST's R). */
    boolean brokenRedirect;
    /** The BCAST prefixes, in order. */
    final TreeSet<Bytes> prefixes = new TreeSet<>();
  }

  /** One BCAST prefix: the keys modified under it this turn (with their last modifier) and its subscribers. */
  private static final class Prefix {
    TreeMap<Bytes, Client> keys = new TreeMap<>();
    final LinkedHashSet<Client> clients = new LinkedHashSet<>();
  }

  private final Server server;
  private final Map<Bytes, Set<Long>> table = new HashMap<>();
  private final TreeMap<Bytes, Prefix> prefixes = new TreeMap<>();
  private long totalItems;
  private int trackingClients;
  /** The client whose command runs (a script's caller for the script's commands), or null. */
  private Client current;
  /** The client running the command that modifies keys (the script client for a script's), or null. */
  private Client executing;
  /** Invalidations for clients whose command is running: sent after its reply. A null key is a flush. */
  private final List<Pending> pending = new ArrayList<>();
  /** A flush was signalled in the running command: the other databases' flushes of the same one are not. */
  private boolean flushSignalled;
  private Context dataLoop;
  private boolean turnScheduled;
  private long maxKeys;

  private record Pending(Client client, byte[] key) {}

  Tracking(Server server) {
    this.server = server;
    maxKeys = server.config.getLong("tracking-table-max-keys");
    server.config.onChange("tracking-table-max-keys", v -> {
      maxKeys = server.config.getLong("tracking-table-max-keys");
      scheduleTurn(); // a lower limit applies at the end of this turn
    });
  }

  void start(Context dataLoop) {
    this.dataLoop = dataLoop;
  }

  /** True while some client tracks (or its ids wait in the table): modified keys must be looked up. */
  boolean active() {
    return trackingClients > 0 || !table.isEmpty();
  }

  public int clients() {
    return trackingClients;
  }

  public long totalKeys() {
    return table.size();
  }

  public long totalItems() {
    return totalItems;
  }

  public long totalPrefixes() {
    return prefixes.size();
  }

  // ---------------------------------------------------------------- commands

  /** CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p]... [BCAST] [OPTIN] [OPTOUT] [NOLOOP]. */
  public void trackingCommand(Client c, Args a) {
    long redirect = 0;
    boolean bcast = false;
    boolean optin = false;
    boolean optout = false;
    boolean noloop = false;
    List<Bytes> given = new ArrayList<>();
    for (int j = 3; j < a.count(); j++) {
      boolean more = j + 1 < a.count();
      if (a.is(j, "redirect") && more) {
        j++;
        if (redirect != 0) throw new CommandError("ERR A client can only redirect to a single other client");
        redirect = a.longArg(j);
        // the client must exist now, though it may go later
        if (server.clients.get(redirect) == null) {
          throw new CommandError("ERR The client ID you want redirect to does not exist");
        }
      } else if (a.is(j, "bcast")) {
        bcast = true;
      } else if (a.is(j, "optin")) {
        optin = true;
      } else if (a.is(j, "optout")) {
        optout = true;
      } else if (a.is(j, "noloop")) {
        noloop = true;
      } else if (a.is(j, "prefix") && more) {
        j++;
        given.add(Bytes.wrap(a.bytes(j)));
      } else {
        throw new CommandError(Errors.SYNTAX);
      }
    }
    if (a.is(2, "off")) {
      disable(c);
      c.out.ok();
      return;
    }
    if (!a.is(2, "on")) throw new CommandError(Errors.SYNTAX);
    State s = c.tracking;
    if (!bcast && !given.isEmpty()) throw new CommandError("ERR PREFIX option requires BCAST mode to be enabled");
    if (s != null && s.bcast != bcast) {
      throw new CommandError("ERR You can't switch BCAST mode on/off before disabling tracking for this client, "
          + "and then re-enabling it with a different mode.");
    }
    if (bcast && (optin || optout)) throw new CommandError("ERR OPTIN and OPTOUT are not compatible with BCAST");
    if (optin && optout) throw new CommandError("ERR You can't specify both OPTIN mode and OPTOUT mode");
    if (s != null && (optin && s.optout || optout && s.optin)) {
      throw new CommandError("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, "
          + "and then re-enabling it with a different mode.");
    }
    if (bcast) checkPrefixes(s, given);
    if (s == null) {
      s = new State();
      c.tracking = s;
      trackingClients++;
    }
    s.redirect = redirect;
    s.brokenRedirect = false;
    s.bcast = bcast;
    s.optin = optin;
    s.optout = optout;
    s.noloop = noloop;
    if (bcast) {
      if (given.isEmpty()) subscribe(c, Bytes.EMPTY);
      for (Bytes p : given) subscribe(c, p);
    }
    c.out.ok();
  }

  /** Two prefixes of one client overlap when one starts the other: a key would be sent twice. */
  private static void checkPrefixes(State s, List<Bytes> given) {
    for (int i = 0; i < given.size(); i++) {
      Bytes p = given.get(i);
      if (s != null) {
        for (Bytes q : s.prefixes) {
          if (overlap(q, p)) {
            throw new CommandError("ERR Prefix '" + p + "' overlaps with an existing prefix '" + q
                + "'. Prefixes for a single client must not overlap.");
          }
        }
      }
      for (int j = i + 1; j < given.size(); j++) {
        if (overlap(p, given.get(j))) {
          throw new CommandError("ERR Prefix '" + p + "' overlaps with another provided prefix '" + given.get(j)
              + "'. Prefixes for a single client must not overlap.");
        }
      }
    }
  }

  private static boolean overlap(Bytes x, Bytes y) {
    int n = Math.min(x.length(), y.length());
    return Arrays.equals(x.array(), 0, n, y.array(), 0, n);
  }

  private void subscribe(Client c, Bytes prefix) {
    Prefix p = prefixes.computeIfAbsent(prefix, k -> new Prefix());
    if (p.clients.add(c)) c.tracking.prefixes.add(prefix);
  }

  /** CLIENT TRACKING OFF, RESET, a closed connection: its ids stay in the table, skipped when met. */
  public void disable(Client c) {
    State s = c.tracking;
    if (s == null) return;
    for (Bytes prefix : s.prefixes) {
      Prefix p = prefixes.get(prefix);
      if (p == null) continue;
      p.clients.remove(c);
      if (p.clients.isEmpty()) prefixes.remove(prefix);
    }
    c.tracking = null;
    trackingClients--;
  }

  /** CLIENT CACHING YES|NO: whether the next command's keys are tracked, against the OPTIN or OPTOUT default. */
  public void cachingCommand(Client c, Args a) {
    State s = c.tracking;
    if (s == null) {
      throw new CommandError("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN "
          + "or OPTOUT mode enabled");
    }
    if (a.is(2, "yes")) {
      if (!s.optin) {
        throw new CommandError("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
      }
    } else if (a.is(2, "no")) {
      if (!s.optout) {
        throw new CommandError("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
      }
    } else {
      throw new CommandError(Errors.SYNTAX);
    }
    s.caching = true;
    c.out.ok();
  }

  /** CLIENT TRACKINGINFO: flags, redirect and prefixes. */
  public void trackingInfoCommand(Client c) {
    State s = c.tracking;
    RespWriter out = c.out;
    out.map(3).bulk("flags");
    if (s == null) {
      out.set(1).bulk("off");
    } else {
      List<String> flags = new ArrayList<>();
      flags.add("on");
      if (s.bcast) flags.add("bcast");
      if (s.optin) {
        flags.add("optin");
        if (s.caching) flags.add("caching-yes");
      }
      if (s.optout) {
        flags.add("optout");
        if (s.caching) flags.add("caching-no");
      }
      if (s.noloop) flags.add("noloop");
      if (s.brokenRedirect) flags.add("broken_redirect");
      out.set(flags.size());
      for (String f : flags) out.bulk(f);
    }
    out.bulk("redirect").integer(s == null ? -1 : s.redirect);
    out.bulk("prefixes");
    if (s == null) {
      out.array(0);
    } else {
      out.array(s.prefixes.size());
      for (Bytes p : s.prefixes) out.bulk(p.array());
    }
  }

  /** CLIENT GETREDIR: -1 when not tracking, 0 without redirection. */
  public static long redirect(Client c) {
    return c.tracking == null ? -1 : c.tracking.redirect;
  }

  /** CLIENT LIST's tracking flags, in Redis's order: t tracking, R redirect broken, B broadcasting. */
  static void appendFlags(Client c, StringBuilder sb) {
    State s = c.tracking;
    if (s == null) return;
    sb.append('t');
    if (s.brokenRedirect) sb.append('R');
    if (s.bcast) sb.append('B');
  }

  // ---------------------------------------------------------------- the dispatcher's hooks

  /**
   * Before each command a client sends: CLIENT CACHING's choice holds for one command only, kept while a MULTI is
   * open and after any CLIENT subcommand (Redis clears it in resetClient unless so).
   */
  static void beforeCommand(Client c) {
    State s = c.tracking;
    if (s == null || !s.caching || c.multi != null) return;
    CommandSpec last = c.lastCommand;
    if (last != null && last.parent() != null && last.parent().name.equals("client")) return;
    s.caching = false;
  }

  Client current() {
    return current;
  }

  Client executing() {
    return executing;
  }

  /** A command starts running for {@code c}; {@link #leave} restores what {@link #current} and executing were. */
  void enter(Client c) {
    current = c.script && c.scriptCaller != null ? c.scriptCaller : c;
    executing = c;
  }

  void leave(Client outerCurrent, Client outerExecuting) {
    current = outerCurrent;
    executing = outerExecuting;
  }

  /**
   * A read-only command ran: a tracking client (not in BCAST mode) remembers its keys, unless OPTIN without
   * CACHING YES or OPTOUT with CACHING NO. A script's reads track, as in Redis 7.0, the keys its caller declared.
   */
  void readDone(Client c, Args a, CommandSpec cmd) {
    if (cmd.has(CommandSpec.PUBSUB)) return;
    if (c.script) {
      Client caller = c.scriptCaller;
      if (caller == null || c.scriptKeys == null || caller.tracking == null) return;
      for (byte[] k : c.scriptKeys) remember(caller, k);
    } else {
      State s = c.tracking;
      if (s == null || !tracksNow(s)) return;
      for (KeySpec.KeyRef k : CommandMeta.keys(cmd, a, 0)) if (k.pos() < a.count()) remember(c, a.bytes(k.pos()));
    }
    if (maxKeys > 0 && table.size() > maxKeys) scheduleTurn();
  }

  private static boolean tracksNow(State s) {
    return !s.bcast && !(s.optin && !s.caching || s.optout && s.caching);
  }

  /**
   * The keys a script's reads will track for {@code caller} (the keys it declares, as in Redis 7.0), decided when
   * the script is called (it may run later, queued with the caller's next scripts); null when none.
   */
  public static byte[][] scriptKeys(Client caller, byte[][] keys) {
    State s = caller.tracking;
    return s != null && tracksNow(s) && keys.length > 0 ? keys : null;
  }

  private void remember(Client c, byte[] key) {
    Set<Long> ids = table.computeIfAbsent(Bytes.wrap(key), k -> new LinkedHashSet<>(2));
    if (ids.add(c.id)) totalItems++;
  }

  /** The outermost command of {@code c} ended, its reply written: the invalidations it caused for itself follow. */
  void commandDone(Client c) {
    if (pending.isEmpty()) return;
    List<Pending> mine = new ArrayList<>();
    for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
      Pending p = it.next();
      if (p.client == c) {
        mine.add(p);
        it.remove();
      }
    }
    for (Pending p : mine) send(p.client, p.key, null);
  }

  /** Each command's end, nested ones included: the next flush is signalled again. */
  void callDone() {
    flushSignalled = false;
  }

  // ---------------------------------------------------------------- invalidation

  /** Redis's trackingInvalidateKey for a modified key: its trackers hear of it, BCAST prefixes collect it. */
  void keyModified(byte[] key) {
    if (!prefixes.isEmpty()) {
      for (Map.Entry<Bytes, Prefix> e : prefixes.entrySet()) {
        byte[] p = e.getKey().array();
        if (p.length > key.length || !Arrays.equals(p, 0, p.length, key, 0, p.length)) continue;
        e.getValue().keys.put(Bytes.wrap(key), executing);
      }
      scheduleTurn();
    }
    invalidate(key);
  }

  private void invalidate(byte[] key) {
    Set<Long> ids = table.remove(Bytes.wrap(key));
    if (ids == null) return;
    totalItems -= ids.size();
    for (long id : ids) {
      Client target = server.clients.get(id);
      if (target == null || target.tracking == null || target.tracking.bcast) continue;
      if (target.tracking.noloop && target == current) continue;
      if (target == current) pending.add(new Pending(target, key));
      else send(target, key, null);
    }
  }

  /** A database was emptied: every tracking client hears "all keys" (a null), once per flushing command. */
  void flushed() {
    if (flushSignalled) return;
    flushSignalled = true; // again after the command (callDone), or after the turn for a flush outside commands
    scheduleTurn();
    if (trackingClients > 0) {
      for (Client c : server.clients.all()) {
        if (c.tracking == null) continue;
        if (c == current) pending.add(new Pending(c, null));
        else send(c, null, null);
      }
    }
    table.clear();
    totalItems = 0;
  }

  /** Sends one invalidation for {@code c}: of {@code keys} (BCAST), of {@code key}, or of all keys (both null). */
  private void send(Client c, byte[] key, List<Bytes> keys) {
    State s = c.tracking;
    if (s == null) return;
    // as Redis, the null of a flush is the tracking client's own, even when sent to a redirect of the other protocol
    int ownProto = c.out.proto();
    Client to = c;
    boolean redirected = false;
    if (s.redirect != 0) {
      Client r = server.clients.get(s.redirect);
      if (r == null || r.isClosing()) {
        s.brokenRedirect = true;
        if (c.out.proto() > 2) {
          c.out.push(2).bulk(BROKEN).integer(s.redirect);
          flushLater(c);
        }
        return;
      }
      to = r;
      redirected = true;
    }
    RespWriter out = to.out;
    if (out.proto() > 2) {
      out.push(2).bulk(INVALIDATE);
    } else if (redirected && to.subscriptionCount() > 0) {
      out.array(3).bulk(MESSAGE).bulk(CHANNEL);
    } else {
      return; // RESP2 has no pushes on the same connection
    }
    if (keys != null) {
      out.array(keys.size());
      for (Bytes k : keys) out.bulk(k.array());
    } else if (key == null) {
      out.raw(ownProto > 2 ? NULL3 : NULL2);
    } else {
      out.array(1).bulk(key);
    }
    flushLater(to);
  }

  private static final byte[] NULL3 = RespWriter.ascii("_\r\n");
  private static final byte[] NULL2 = RespWriter.ascii("$-1\r\n");

  /** Output for a client other than the one whose read is being processed goes out at the end of the batch. */
  private void flushLater(Client c) {
    if (c == current) return; // its own reply carries it
    c.markPendingFlush();
    scheduleTurn();
  }

  // ---------------------------------------------------------------- end of the event-loop turn

  private void scheduleTurn() {
    if (turnScheduled || dataLoop == null) return;
    turnScheduled = true;
    dataLoop.runOnContext(v -> {
      turnScheduled = false;
      server.busy.defer(this::endOfTurn);
    });
  }

  /** Redis's beforeSleep: BCAST invalidations of the turn, the table held to its limit, the output sent. */
  private void endOfTurn() {
    flushSignalled = false;
    broadcast();
    limitTable();
    // invalidations of a command whose end was not seen (a client that went meanwhile) are dropped
    pending.removeIf(p -> p.client.isClosing());
    server.clients.flushPending();
  }

  private void broadcast() {
    for (Prefix p : prefixes.values()) {
      if (p.keys.isEmpty()) continue;
      TreeMap<Bytes, Client> keys = p.keys;
      p.keys = new TreeMap<>();
      List<Bytes> all = new ArrayList<>(keys.keySet());
      for (Client c : new ArrayList<>(p.clients)) {
        if (c.tracking == null) continue;
        if (c.tracking.noloop) {
          List<Bytes> others = new ArrayList<>();
          for (Map.Entry<Bytes, Client> e : keys.entrySet()) if (e.getValue() != c) others.add(e.getKey());
          if (!others.isEmpty()) sendKeys(c, others);
        } else {
          sendKeys(c, all);
        }
      }
    }
  }

  private void sendKeys(Client c, List<Bytes> keys) {
    Client saved = current;
    current = null; // outside any command: straight to the output
    try {
      send(c, null, keys);
    } finally {
      current = saved;
    }
  }

  /**
   * tracking-table-max-keys: past it, keys leave the table as if they were modified (their trackers are told), so
   * that the table stays within the limit.
   */
  private void limitTable() {
    if (maxKeys <= 0 || table.size() <= maxKeys) return;
    Client saved = current;
    current = null;
    try {
      List<Bytes> victims = new ArrayList<>();
      Iterator<Bytes> it = table.keySet().iterator();
      for (long n = table.size() - maxKeys; n > 0 && it.hasNext(); n--) victims.add(it.next());
      for (Bytes k : victims) invalidate(k.array());
    } finally {
      current = saved;
    }
  }
}
