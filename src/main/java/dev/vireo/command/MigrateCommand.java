package dev.vireo.command;

import static dev.vireo.server.CommandSpec.MOVABLEKEYS;
import static dev.vireo.server.CommandSpec.WRITE;

import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.resp.Errors;
import dev.vireo.resp.Numbers;
import dev.vireo.server.Client;
import dev.vireo.server.CommandTable;
import dev.vireo.server.MigrateSockets;
import dev.vireo.store.Entry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH password] [AUTH2 username password]
 * [KEYS key ...], as Redis 7.0 runs it outside cluster mode: the keys go to the target as RESTORE commands (DUMP
 * payloads, the remaining TTL, REPLACE when asked), preceded by AUTH and a SELECT when the cached connection has
 * not selected that database yet; each key the target acknowledges is deleted here (unless COPY), and replicas
 * and the AOF receive one DEL of those keys. The node waits for the target, within the timeout, as Redis does:
 * nothing else runs meanwhile, so the move is atomic for every other client.
 *
 * <p>A failed connection is tried once more on a fresh socket unless it timed out (a cached socket the target has
 * closed is the usual case); errors keep Redis's texts ({@code -NOKEY} as a status, {@code IOERR ...}, the target's
 * own error after {@code Target instance replied with error:}).
 */
final class MigrateCommand {
  /** The longest reply line read from the target, as Redis's fixed buffer. */
  private static final int LINE_MAX = 1023;

  private MigrateCommand() {}

  static void register(CommandTable t) {
    t.add("migrate", -6, WRITE | MOVABLEKEYS, 3, 3, 1, "generic", "2.6.0",
        "Atomically transfers a key from one Redis instance to another.", MigrateCommand::migrate);
  }

  static void migrate(Client c, Args a) {
    boolean copy = false;
    boolean replace = false;
    byte[] username = null;
    byte[] password = null;
    int firstKey = 3;
    int numKeys = 1;
    for (int j = 6; j < a.count(); j++) {
      int more = a.count() - 1 - j;
      if (a.is(j, "copy")) {
        copy = true;
      } else if (a.is(j, "replace")) {
        replace = true;
      } else if (a.is(j, "auth")) {
        if (more < 1) throw new CommandError(Errors.SYNTAX);
        password = a.bytes(++j);
      } else if (a.is(j, "auth2")) {
        if (more < 2) throw new CommandError(Errors.SYNTAX);
        username = a.bytes(++j);
        password = a.bytes(++j);
      } else if (a.is(j, "keys")) {
        if (a.len(3) != 0) {
          throw new CommandError("ERR When using MIGRATE KEYS option, the key argument must be set to the empty "
              + "string");
        }
        firstKey = j + 1;
        numKeys = a.count() - j - 1;
        break;
      } else {
        throw new CommandError(Errors.SYNTAX);
      }
    }
    long timeout = Numbers.parseLongOrThrow(a.bytes(5), Errors.NOT_INTEGER);
    long dbid = Numbers.parseLongOrThrow(a.bytes(4), Errors.NOT_INTEGER);
    if (timeout <= 0) timeout = 1000;

    List<byte[]> keys = new ArrayList<>();
    for (int j = 0; j < numKeys; j++) {
      int i = firstKey + j;
      if (c.db.lookupRead(a.buf(i), a.off(i), a.len(i)) != null) keys.add(a.bytes(i));
    }
    if (keys.isEmpty()) {
      c.out.simple("NOKEY");
      return;
    }
    new Run(c, a.str(1), a.str(2), dbid, timeout, copy, replace, username, password, keys).start();
  }

  /** One MIGRATE call against its target, with Redis's single retry. */
  private static final class Run {
    final Client c;
    final String host;
    final String port;
    final long dbid;
    final long timeout;
    final boolean copy;
    final boolean replace;
    final byte[] username;
    final byte[] password;
    List<byte[]> keys;
    boolean mayRetry = true;

    Run(Client c, String host, String port, long dbid, long timeout, boolean copy, boolean replace,
        byte[] username, byte[] password, List<byte[]> keys) {
      this.c = c;
      this.host = host;
      this.port = port;
      this.dbid = dbid;
      this.timeout = timeout;
      this.copy = copy;
      this.replace = replace;
      this.username = username;
      this.password = password;
      this.keys = keys;
    }

    void start() {
      MigrateSockets sockets = c.server().migrateSockets;
      while (true) {
        MigrateSockets.Conn cs = sockets.get(host, port, timeout);
        if (cs == null) throw new CommandError("IOERR error or timeout connecting to the client");
        Failure f = attempt(cs);
        if (f == null) return;
        // the socket is closed before a retry, and once and for all after a failure past the first reply
        sockets.close(host, port);
        if (f.retry && mayRetry && !f.timedOut) {
          mayRetry = false;
          continue;
        }
        c.out.error("IOERR error or timeout " + (f.writing ? "writing" : "reading") + " to target instance");
        return;
      }
    }

    /** What went wrong with the socket; null when the call got its replies (its reply is then written). */
    private record Failure(boolean writing, boolean timedOut, boolean retry) {}

    private Failure attempt(MigrateSockets.Conn cs) {
      ByteArrayOutputStream cmd = new ByteArrayOutputStream();
      if (password != null) {
        if (username != null) bulks(cmd, Rewrites.ascii("AUTH"), username, password);
        else bulks(cmd, Rewrites.ascii("AUTH"), password);
      }
      boolean select = cs.lastDbid != dbid;
      if (select) bulks(cmd, Rewrites.ascii("SELECT"), Rewrites.num(dbid));
      // keys that expired since the lookup are left out, as Redis leaves out a key whose TTL ran out meanwhile
      List<byte[]> sent = new ArrayList<>();
      long now = c.server().keyspace().now();
      for (byte[] key : keys) {
        Entry e = c.db.stored(key);
        if (e == null) continue;
        long ttl = 0;
        if (e.hasTtl()) {
          ttl = c.db.expireAt(e) - now;
          if (ttl < 0) continue;
          if (ttl < 1) ttl = 1;
        }
        byte[] payload = DumpCommands.payload(c.server(), e);
        if (payload == null) continue;
        sent.add(key);
        if (replace) bulks(cmd, Rewrites.ascii("RESTORE"), key, Rewrites.num(ttl), payload, Rewrites.ascii("REPLACE"));
        else bulks(cmd, Rewrites.ascii("RESTORE"), key, Rewrites.num(ttl), payload);
      }
      keys = sent;

      try {
        cs.write(cmd.toByteArray(), timeout);
      } catch (IOException e) {
        return new Failure(true, e instanceof SocketTimeoutException, true);
      }
      String authReply = null;
      String selectReply = null;
      try {
        if (password != null) authReply = cs.readLine(LINE_MAX, timeout);
        if (select) selectReply = cs.readLine(LINE_MAX, timeout);
      } catch (IOException e) {
        return new Failure(false, e instanceof SocketTimeoutException, true);
      }

      String targetError = null;
      IOException readFailure = null;
      List<byte[]> moved = new ArrayList<>();
      int j = 0;
      for (; j < keys.size(); j++) {
        String reply;
        try {
          reply = cs.readLine(LINE_MAX, timeout);
        } catch (IOException e) {
          readFailure = e;
          break;
        }
        String err = isError(authReply) ? authReply : isError(selectReply) ? selectReply : isError(reply) ? reply : null;
        if (err != null) {
          if (targetError == null) {
            cs.lastDbid = -1;
            targetError = err.substring(1);
          }
        } else if (!copy) {
          Entry e = c.db.stored(keys.get(j));
          if (e != null) {
            c.db.remove(e);
            Notify.del(c, keys.get(j));
            c.server().addDirty(1);
          }
          moved.add(keys.get(j));
        }
      }
      boolean timedOut = readFailure instanceof SocketTimeoutException;
      if (targetError == null && readFailure != null && j == 0 && mayRetry && !timedOut) {
        return new Failure(false, false, true);
      }
      if (!moved.isEmpty()) {
        byte[][] del = new byte[moved.size() + 1][];
        del[0] = Rewrites.DEL;
        for (int i = 0; i < moved.size(); i++) del[i + 1] = moved.get(i);
        Rewrites.as(c, del);
      }
      if (targetError == null && readFailure != null) {
        mayRetry = false;
        return new Failure(false, timedOut, false);
      }
      if (targetError == null) {
        cs.lastDbid = dbid;
        c.out.ok();
      } else {
        c.out.error("ERR Target instance replied with error: " + targetError);
      }
      return null;
    }

    private static boolean isError(String line) {
      return line != null && !line.isEmpty() && line.charAt(0) == '-';
    }

    private static void bulks(ByteArrayOutputStream out, byte[]... args) {
      out.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      for (byte[] arg : args) {
        out.writeBytes(("$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(arg);
        out.writeBytes(new byte[] {'\r', '\n'});
      }
    }
  }
}
