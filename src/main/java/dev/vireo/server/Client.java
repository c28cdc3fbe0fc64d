package dev.vireo.server;

import dev.vireo.resp.Args;
import dev.vireo.resp.ProtocolException;
import dev.vireo.resp.RespReader;
import dev.vireo.resp.RespWriter;
import dev.vireo.store.Bytes;
import dev.vireo.store.Db;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
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
  /** Set by CLIENT REPLY SKIP while it runs: the outermost call's end turns it into {@link #REPLY_SKIP}. */
  public static final int REPLY_SKIP_NEXT = 3;

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
  /** The ACL user this connection runs as (CLIENT LIST's user=); null for the master, AOF and script clients. */
  public String user = "default";
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
  /** Being closed for a limit (output buffers, client eviction): CLIENT LIST's flag A. */
  boolean closeAsap;
  private boolean pendingFlush;
  private long inputBytes;
  /** Reply bytes handed to the socket and not written out yet, and in how many writes (CLIENT LIST omem, oll). */
  private long inFlightBytes;
  private int inFlightWrites;
  /** The fullest the reply buffer got since the registry's last look (CLIENT LIST rbp). */
  int replyPeak;
  /** Since when this client's output has been over its class's soft limit. */
  private final OutputBufferLimits.SoftClock softLimit = new OutputBufferLimits.SoftClock();
  /** The memory the registry last counted for this client, and in which of its sums (-1: none). */
  long accountedMemory;
  int accountedKind = -1;

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
      while (!closing && blocked == null && !suspended && postponed == null) {
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
          if (outputLimitReached()) break;
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
    server.clients.updateMemory(this);
    server.clients.evictIfNeeded();
  }

  /** True once the connection is closed (or being closed without its pending output). */
  boolean gone() {
    return closed;
  }

  /** Sends what the writer holds; replies of one read go out as one write. */
  public void flush() {
    pendingFlush = false;
    if (master || replica != null) out.truncate(0); // the master's link and replicas get no replies
    if (closed) {
      out.truncate(0);
      return;
    }
    if (!out.isEmpty()) {
      if (outputLimitReached()) return;
      if (server.appendOnly().holdReply(this)) return; // the writes a reply acknowledges reach the AOF first
      if (out.position() > replyPeak) replyPeak = out.position();
      Buffer b = out.take();
      int len = b.length();
      server.stats.netOutputBytes += len;
      server.stats.writesProcessed++;
      inFlightBytes += len;
      inFlightWrites++;
      socket.write(b).onComplete(ar -> written(len));
      // a client whose output is limited (its class's limits, client eviction) keeps being read, as in Redis: the
      // limits stop it; others stop being read until their output drains
      if (socket.writeQueueFull() && server.outputLimits.of(this).none() && !server.clients.evicting()) {
        socket.pause();
      }
      server.clients.updateMemory(this);
    }
    if (closing) {
      closed = true;
      socket.end();
    }
  }

  /** A write left for the network: its bytes are no longer held for this client. */
  private void written(int len) {
    inFlightBytes -= len;
    inFlightWrites--;
    if (!closed) server.clients.updateMemory(this);
  }

  /**
   * client-output-buffer-limit for this client's class (normal or pubsub; the master client and replicas are left
   * to their own): past it, the client is closed at once, its pending output dropped, and the line Redis logs is
   * logged. Returns true when it was closed.
   */
  boolean outputLimitReached() {
    if (master || replica != null || closed) return false;
    OutputBufferLimits.Limit limit = server.outputLimits.of(this);
    if (limit.none()) return false;
    long used = outputBufferBytes();
    if (!softLimit.reached(limit, used, System.currentTimeMillis())) return false;
    server.log.warn("Client " + server.clients.describe(this)
        + " scheduled to be closed ASAP for overcoming of output buffer limits.");
    out.truncate(0);
    abort();
    return true;
  }

  /** Reply bytes held for this client: in the reply buffer, and handed to the socket but not written out. */
  public long outputBufferBytes() {
    return out.position() + inFlightBytes;
  }

  /** Bytes handed to the socket and not written out yet (CLIENT LIST omem). */
  public long inFlightBytes() {
    return inFlightBytes;
  }

  /** Writes handed to the socket and not written out yet (CLIENT LIST oll). */
  public int inFlightWrites() {
    return inFlightWrites;
  }

  /** The fixed part of a connection's memory: its objects besides the buffers counted on their own. */
  static final int OVERHEAD = 1024;
  /** What one subscription adds to a connection (its entry in the client's set). */
  static final int SUBSCRIPTION_OVERHEAD = 56;

  /**
   * The memory this connection takes (CLIENT LIST tot-mem, without the arguments of a running command): the
   * receive and reply buffers, the output on its way out (or, for a replica, its share of the replication
   * buffer), MULTI's queued commands and the subscriptions.
   */
  public long memoryUsage() {
    long mem = OVERHEAD + reader.capacity() + out.capacity() + inFlightBytes;
    if (replica != null) mem += replica.outputBytes();
    if (multi != null) mem += multi.argvBytes();
    mem += (long) SUBSCRIPTION_OVERHEAD * subscriptionCount();
    return mem;
  }

  public int queryBufferCapacity() {
    return reader.capacity();
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

  /**
   * Closes the connection at once, dropping the output not written yet (a plain close would wait for it to drain,
   * which a client that does not read never lets happen): output buffer limits and client eviction.
   */
  void abort() {
    closeAsap = true;
    if (!(socket instanceof NetSocketInternal internal)) {
      close();
      return;
    }
    closing = true;
    if (!closed) {
      closed = true;
      server.clients.forgetMemory(this);
      // from Vert.x's own handler down: its close would wait for the pending writes first
      internal.channelHandlerContext().close();
    }
  }

  public void close() {
    closing = true;
    if (!closed) {
      closed = true;
      if (socket != null) socket.close();
      server.clients.forgetMemory(this);
    }
  }

  /** Client-side caching: the tracking mode, null while CLIENT TRACKING is off. */
  Tracking.State tracking;
  /** The script client's caller and the keys it declared, while a script runs (tracking's reads and NOLOOP). */
  public Client scriptCaller;
  public byte[][] scriptKeys;

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
  public final LinkedHashSet<Bytes> shardChannels = new LinkedHashSet<>();

  /** Every subscription, shard channels included: the client is in pub/sub mode while it is not 0. */
  public int subscriptionCount() {
    return channels.size() + patterns.size() + shardChannels.size();
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

  /** The command a pause holds (CLIENT PAUSE, FAILOVER): it runs, then the rest of the input, when it ends. */
  Args postponed;

  /** True while a pause holds this client's command. */
  public boolean isPostponed() {
    return postponed != null;
  }

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
    server.clients.forgetMemory(this);
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
