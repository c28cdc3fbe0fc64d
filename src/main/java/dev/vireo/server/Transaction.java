package dev.vireo.server;

import java.util.ArrayList;
import java.util.List;

/** A client's MULTI state: the queued commands, and whether a queue-time error dooms the EXEC. */
public final class Transaction {
  /** One queued command, its arguments copied out of the receive buffer. */
  record Queued(CommandSpec cmd, byte[][] args) {}

  final List<Queued> queued = new ArrayList<>();
  boolean aborted;
  /** The queued arguments' bytes plus a pointer per argument (CLIENT LIST's multi-mem), kept as they are queued. */
  private long argvBytes;

  void add(Queued q) {
    queued.add(q);
    long n = 8L * q.args().length;
    for (byte[] arg : q.args()) n += arg.length;
    argvBytes += n;
  }

  public long argvBytes() {
    return argvBytes;
  }

  public int size() {
    return queued.size();
  }
}
