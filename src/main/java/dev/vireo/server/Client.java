package dev.vireo.server;

import dev.vireo.resp.Args;
import dev.vireo.resp.ProtocolException;
import dev.vireo.resp.RespReader;
import dev.vireo.resp.RespWriter;
import dev.vireo.store.Bytes;
import dev.vireo.store.Db;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * One connection: parses what arrives, executes each complete command in order, and sends the replies produced
 * by one read in one write. Runs on the data loop only.
 */
public final class Client {
  public static final int REPLY_ON = 0;
  public static final int REPLY_OFF = 1;
  public static final int REPLY_SKIP = 2;

  public final long id;
  final Server server;
  private final NetSocket socket;
  final RespReader reader = new RespReader();
  public final RespWriter out = new RespWriter();
  private final Args args = new Args();
  public final String addr;
  public final String laddr;
  /** Connected through {@code unixsocket}: CLIENT LIST shows flag U and the socket's path as addr and laddr. */
  public final boolean unixSocket;
  public final long createdMillis = System.currentTimeMillis();
  public long lastInteractionMillis = createdMillis;

  public Db db;
  public String name = "";
  public String libName = "";
  public String libVer = "";
  public boolean authenticated;
  public int replyMode = REPLY_ON;
  public boolean monitor;
  /** The master's link on a replica: its replies are never sent. */
  public boolean master;
  /** Set once this connection asked for PSYNC or SYNC: it is a replica of this node and gets the stream. */
  public ReplicaAttachment replica;
  /** What REPLCONF declared before PSYNC/SYNC. */
  public ReplicaAttachment replicaDeclaration;
  /** The replication offset right after this client's last propagated write (what WAIT waits for). */
  public long woff;
  public boolean noEvict;
  public boolean noTouch;
  public CommandSpec lastCommand;
  private boolean closing;
  private boolean closed;
  private boolean pendingFlush;
  private long inputBytes;

  Client(long id, Server server, NetSocket socket) {
    this.id = id;
    this.server = server;
    this.socket = socket;
    this.unixSocket = socket != null && socket.localAddress().isDomainSocket();
    if (unixSocket) {
      // as Redis: the configured path (not the peer's, which is unnamed) with port 0, on both sides
      this.addr = server.config.get("unixsocket") + ":0";
      this.laddr = addr;
    } else {
      this.addr = socket == null ? "" : socket.remoteAddress().host() + ":" + socket.remoteAddress().port();
      this.laddr = socket == null ? "" : socket.localAddress().host() + ":" + socket.localAddress().port();
    }
    this.db = server.keyspace().db(0);
    this.authenticated = !server.authRequired();
    reader.maxBulkLen(server::protoMaxBulkLen); // follows CONFIG SET on open connections
    reader.unauthenticated(() -> !authenticated);
  }

  void start() {
    socket.handler(this::onData);
    socket.closeHandler(v -> onClosed());
    socket.exceptionHandler(e -> close());
    socket.drainHandler(v -> socket.resume());
  }

  private void onData(Buffer data) {
    if (closing) return;
    lastInteractionMillis = System.currentTimeMillis();
    int n = data.length();
    inputBytes += n;
    server.stats.netInputBytes += n;
    server.stats.readsProcessed++;
    reader.feed(data);
    processInput();
  }

  /**
   * Executes the complete commands in the receive buffer, in order, until the buffer runs dry or a command
   * blocks the client (BLPOP...); then writes the replies. Called again when a blocked client is released.
   */
  public void processInput() {
    Dispatcher d = server.dispatcher;
    Client outer = d.batching(this);
    if (early != null && !suspended) {
      out.raw(early);
      early = null;
    }
    try {
      while (!closing && blocked == null && !suspended) {
        Args a = held;
        held = null;
        if (a == null) {
          if (!reader.next(args)) break;
          a = args;
        }
        // consecutive script commands are queued and run in one handover; anything else waits for them
        if (d.scriptsQueued() && !Dispatcher.isScriptCommand(a)) {
          d.runQueuedScripts();
          if (suspended) { // a script went past busy-reply-threshold: this command goes on after it
            held = a == args ? Args.of(a.toArray()) : a;
            break;
          }
        }
        if (!d.scriptsQueued()) {
          d.execute(this, a);
          continue;
        }
        int mark = out.position();
        d.execute(this, a);
        if (out.position() != mark) {
          // refused before it could be queued (NOSCRIPT, arity...): its error follows the queued scripts' replies
          byte[] reply = Arrays.copyOfRange(out.array(), mark, out.position());
          out.truncate(mark);
          d.runQueuedScripts();
          if (suspended) {
            early = reply;
            break;
          }
          out.raw(reply);
        }
      }
      d.deferQueuedScripts(this);
      if (reader.pending() > server.queryBufferLimit()) {
        server.log.warn("Closing client that reached max query buffer length: id=" + id + " addr=" + addr
            + " qbuf=" + reader.pending());
        out.truncate(0);
        close();
        return;
      }
      reader.compactIfEmpty();
    } catch (ProtocolException e) {
      d.runQueuedScripts();
      server.log.info("Protocol error (" + e.getMessage() + ") from client: id=" + id + " addr=" + addr);
      out.error("ERR Protocol error: " + e.getMessage());
      closeAfterReply();
    } finally {
      d.batching(outer);
    }
    flush();
    server.clients.flushPending();
  }

  /** Sends what the writer holds; replies of one read go out as one write. */
  public void flush() {
    pendingFlush = false;
    if (master || replica != null) out.truncate(0); // the master's link and replicas get no replies
    if (closed) return;
    if (!out.isEmpty()) {
      if (server.appendOnly().holdReply(this)) return; // the writes a reply acknowledges reach the AOF first
      Buffer b = out.take();
      server.stats.netOutputBytes += b.length();
      server.stats.writesProcessed++;
      socket.write(b);
      if (socket.writeQueueFull()) socket.pause();
    }
    if (closing) {
      closed = true;
      socket.end();
    }
  }

  /** Output produced outside this client's own read (MONITOR, pub/sub): flushed at the end of the current batch. */
  public void markPendingFlush() {
    if (!pendingFlush) {
      pendingFlush = true;
      server.clients.markPendingFlush(this);
    }
  }

  /** The connection closes once the pending replies are written (QUIT, protocol errors, CLIENT KILL). */
  public void closeAfterReply() {
    closing = true;
  }

  public void close() {
    closing = true;
    if (!closed) {
      closed = true;
      socket.close();
    }
  }

  /** True while EXEC runs this client's queued commands: blocking commands must then answer at once. */
  public boolean executingTransaction;
  /** Between MULTI and EXEC/DISCARD: the queued commands; null otherwise. */
  public Transaction multi;
  /** WATCHed keys, and whether one of them was written since. */
  final List<Watches.Watched> watched = new ArrayList<>();
  boolean watchedKeyTouched;
  /** Pub/sub subscriptions, in subscription order. */
  public final LinkedHashSet<Bytes> channels = new LinkedHashSet<>();
  public final LinkedHashSet<Bytes> patterns = new LinkedHashSet<>();

  public int subscriptionCount() {
    return channels.size() + patterns.size();
  }

  /** True when a blocking command may block now (not inside MULTI/EXEC, not from a script). */
  public boolean canBlock() {
    return !executingTransaction && !script;
  }

  /** The client a script's redis.call runs as: it never blocks and has no connection. */
  public boolean script;
  /**
   * True while this client's command waits for something outside its own read: a script gone past the busy
   * threshold, or a command held back until the script ends. Its pipelined commands wait too.
   */
  boolean suspended;
  /** A command read while this client's queued scripts went past the busy threshold: it runs first when resumed. */
  private Args held;
  /** This client's script commands queued and not complete yet. */
  int scriptsQueued;
  /** The reply of a command refused while this client's queued scripts went busy: written once they end. */
  private byte[] early;

  /** The blocking command this client waits in, or null. */
  Blocking.Wait blocked;

  /** The wait this client is blocked in (identity: a later wait is another object), or null. */
  public Blocking.Wait blockedWait() {
    return blocked;
  }

  /** The connection, for writers that bypass replies (the replication stream). */
  public NetSocket socket() {
    return socket;
  }

  public boolean isBlocked() {
    return blocked != null;
  }

  public boolean isClosing() {
    return closing;
  }

  private void onClosed() {
    closed = true;
    closing = true;
    // forgetting a client touches WATCH and blocking state, which a busy script may be using
    server.busy.defer(() -> server.clients.unregister(this));
  }

  public Server server() {
    return server;
  }

  public int queryBufferLength() {
    return reader.pending();
  }

  public long inputBytes() {
    return inputBytes;
  }
}
