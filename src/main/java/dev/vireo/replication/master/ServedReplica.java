package dev.vireo.replication.master;

import dev.vireo.server.Client;
import dev.vireo.server.OutputBufferLimits;
import dev.vireo.server.ReplicaAttachment;
import io.opentelemetry.api.trace.Span;

/**
 * What a master knows about one replica connection: the capabilities and address it declared with REPLCONF, its
 * place in a full resynchronization, the offset it acknowledged, and its place in the shared replication buffer
 * (what is owed to it). The state names are those INFO replication shows. Data loop only.
 */
public final class ServedReplica implements ReplicaAttachment {
  /** Redis's SLAVE_STATE_*: waiting for a snapshot, waiting for it to be ready, receiving it, streaming. */
  public enum State {
    WAIT_BGSAVE_START("wait_bgsave"),
    WAIT_BGSAVE_END("wait_bgsave"),
    SEND_BULK("send_bulk"),
    ONLINE("online");

    public final String infoName;

    State(String infoName) {
      this.infoName = infoName;
    }
  }

  public final Client client;
  public State state = State.WAIT_BGSAVE_START;
  /** From REPLCONF listening-port; 0 when never declared. */
  public int listeningPort;
  /** From REPLCONF ip-address, or null: the connection's address then. */
  public String announcedIp;
  public boolean capaEof;
  public boolean capaPsync2;
  /** REPLCONF rdb-only 1 (redis-cli --rdb): the connection ends after the RDB. */
  public boolean rdbOnly;
  /** REPLCONF rdb-filter-only with no keys wanted (redis-cli --replica): an RDB without data. */
  public boolean rdbNoData;
  /** Came with SYNC: no +FULLRESYNC, always the $len form, no ACKs expected. */
  public boolean legacySync;
  /** W3C traceparent sent with REPLCONF by a replica that traces its handshake. */
  public String traceparent;

  /** The last offset the replica acknowledged, and when (repl_ack_off, repl_ack_time). */
  public long ackOffset;
  public long ackMillis = System.currentTimeMillis();
  /** The stream offset of the snapshot this replica loads (psync_initial_offset). */
  public long initialOffset;
  /**
   * Its place in the shared replication buffer: the stream from the snapshot's offset (or the requested one) on,
   * held while the snapshot is prepared and sent, then streamed by the fan-out. Null before its snapshot starts,
   * and for redis-cli --rdb, which gets no stream.
   */
  Backlog.Reader reader;
  /** Set once the fan-out streams to it. */
  PropagationVerticle.Target target;
  /** Set once the connection is gone: read by the worker that streams a diskless RDB to it. */
  volatile boolean disconnected;
  /** Its RDB streams straight to the socket (decided when the transfer starts, whatever the config says later). */
  boolean disklessTransfer;
  /** After a diskless transfer the stream starts only with the replica's first ACK, when it has loaded. */
  boolean streamOnAck;
  /** Since when the output has been over the soft limit of client-output-buffer-limit replica. */
  final OutputBufferLimits.SoftClock softLimit = new OutputBufferLimits.SoftClock();
  long syncStartMillis;
  Span span;
  /** The current phase of a full resynchronization, a child of {@link #span}. */
  Span phase;

  ServedReplica(Client client) {
    this.client = client;
  }

  /** The address INFO and ROLE show: the announced one, else the connection's. */
  public String ip() {
    if (announcedIp != null) return announcedIp;
    if (client.unixSocket) return "/unixsocket"; // as Redis names a replica that connected over the socket
    String a = client.addr;
    int colon = a.lastIndexOf(':');
    return colon < 0 ? a : a.substring(0, colon);
  }

  /** "ip:port" for log lines and events. */
  public String name() {
    return ip() + ":" + listeningPort;
  }

  /**
   * What this replica keeps of the shared replication buffer, from its first unsent block to the end (Redis's
   * getClientOutputBufferMemoryUsage): what client-output-buffer-limit replica is checked against.
   */
  @Override
  public long outputBytes() {
    return reader == null ? 0 : reader.share();
  }
}
