package dev.vireo.replication.replica;

import dev.vireo.replication.ReplState;

/**
 * What the link verticle knows and INFO replication and ROLE on the data loop read: the handshake state, the
 * last I/O, the progress of an RDB transfer, since when the link is down, why it last failed. Written
 * by the link verticle only; read anywhere (each field is a volatile: a reader may see one transfer's bytes a read
 * behind, never a torn value).
 */
final class LinkStatus {
  volatile ReplState state = ReplState.NONE;
  volatile String lastError;
  volatile long lastIoMillis;
  volatile long downSinceMillis;
  /** Bytes the RDB transfer announced ({@code $len}), or -1 for a streamed ({@code $EOF:}) one. */
  volatile long transferSize = -1;
  volatile long transferRead;
}
