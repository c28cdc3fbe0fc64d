package dev.vireo.replication.replica;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * The messages between the {@link ReplicaLinkVerticle} (the connection to the master, on its own event loop) and
 * the {@link ReplicaLink} on the data loop, sent over the event bus with {@link dev.vireo.bus.LocalCodec} (by
 * reference). Each carries the {@code epoch} of the REPLICAOF it belongs to, so that what was in flight when
 * REPLICAOF changed is dropped; messages about one connection also carry its {@code link} number, so that a reply
 * about a connection that has since dropped is dropped too.
 */
final class LinkMessages {
  private LinkMessages() {}

  /** To the data loop. */
  sealed interface ToData permits Ask, AckDue, Continued, LoadFile, LoadStream, Online, Stream, Down, FailoverReply {
    /** The REPLICAOF the message belongs to. */
    long epoch();
  }

  /** To the link verticle. */
  sealed interface ToLink permits Follow, Unfollow, Linked, Failed, Ack {}

  // ---------------------------------------------------------------- link -> data loop

  /** Before PSYNC: what history may this node continue? Answered with an {@link Offer}. */
  record Ask(long epoch, long link) implements ToData {}

  /** Once a second while the link is up: which offset to acknowledge? Answered with the applied offset (a Long). */
  record AckDue(long epoch, long link) implements ToData {}

  /** {@code +CONTINUE [newId]}: the stream goes on from the current offset. Answered with {@link Linked}. */
  record Continued(long epoch, long link, String newId, NetSocket socket) implements ToData {}

  /** The RDB of a full resynchronization is complete in {@code file}. Answered with {@link Linked} or {@link Failed}. */
  record LoadFile(long epoch, long link, String file, String replId, long offset, NetSocket socket)
      implements ToData {}

  /** The RDB is arriving: parse it from {@code bytes} as it comes. Answered with {@link Linked} or {@link Failed}. */
  record LoadStream(long epoch, long link, TransferStream bytes, String replId, long offset, NetSocket socket)
      implements ToData {}

  /** The link recorded CONNECTED (event, span, log line): INFO may say {@code master_link_status:up}. */
  record Online(long epoch, long link) implements ToData {}

  /** Bytes of the command stream, one network read at most, in order. */
  record Stream(long epoch, long link, Buffer bytes) implements ToData {}

  /** The connection dropped (or was abandoned): a load in progress is abandoned and the master client goes. */
  record Down(long epoch, long link) implements ToData {}

  /**
   * Following the target of a failover: its answer to {@code PSYNC ... FAILOVER} ({@code reply}), or why the link
   * failed before one came ({@code error}, {@code reply} null). Sent once, before anything else about the answer.
   */
  record FailoverReply(long epoch, long link, String reply, String error) implements ToData {}

  // ---------------------------------------------------------------- data loop -> link

  /**
   * REPLICAOF host port; {@code listeningPort} is what REPLCONF listening-port announces; {@code failover}: the
   * master is the target of this node's failover, whose outcome the link reports ({@link FailoverReply});
   * {@code traceparent}: the trace the first attempt continues (the failover's), or null.
   */
  record Follow(long epoch, String host, int port, int listeningPort, boolean failover, String traceparent)
      implements ToLink {
    Follow(long epoch, String host, int port, int listeningPort) {
      this(epoch, host, port, listeningPort, false, null);
    }
  }

  /** REPLICAOF NO ONE, or the node is closing. */
  record Unfollow(long epoch) implements ToLink {}

  /**
   * The answer to {@link Ask}: PSYNC's arguments ({@code id} "?" for none), whether the keyspace is empty, and
   * whether the PSYNC carries {@code FAILOVER}.
   */
  record Offer(String id, long offset, boolean keyspaceEmpty, boolean failover) {
    Offer(String id, long offset, boolean keyspaceEmpty) {
      this(id, offset, keyspaceEmpty, false);
    }
  }

  /** The data loop applies the stream from {@code offset}: the link is up. */
  record Linked(long epoch, long link, String replId, long offset, long keysLoaded) implements ToLink {}

  /** Loading the RDB or applying the stream failed: the connection goes, and the link retries. */
  record Failed(long epoch, long link, String reason) implements ToLink {}

  /** Send {@code REPLCONF ACK offset} now (a GETACK in the stream, or a sub-replica's GETACK). */
  record Ack(long epoch, long offset) implements ToLink {}
}
