package dev.vireo.server;

import java.util.ArrayList;
import java.util.List;

/** A client's MULTI state: the queued commands, and whether a queue-time error dooms the EXEC. */
public final class Transaction {
  /** One queued command, its arguments copied out of the receive buffer. */
  record Queued(CommandSpec cmd, byte[][] args) {}

  final List<Queued> queued = new ArrayList<>();
  boolean aborted;

  public int size() {
    return queued.size();
  }
}
