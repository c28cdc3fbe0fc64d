package dev.vireo.testkit;

/** Waits that replication tests share: a replica's link up, and a replica holding its master's dataset. */
public final class Replicas {
  private Replicas() {}

  /** Waits until {@code master_link_status:up}. */
  public static void awaitLinkUp(RespClient replica) {
    Poll.equal(Poll.WAIT, "master_link_status", "up",
        () -> InfoFields.get(replica.call("INFO", "replication"), "master_link_status"));
  }

  /**
   * Waits until each replica has applied everything the master has written so far: its {@code slave_repl_offset}
   * reaches the master's {@code master_repl_offset} (read once: the master must be quiet). Unlike {@code WAIT}, which
   * waits for the offset of the caller's own last write, this holds whoever wrote.
   */
  public static void awaitApplied(RespClient master, RespClient... replicas) {
    long want = Long.parseLong(InfoFields.get(master.call("INFO", "replication"), "master_repl_offset"));
    for (RespClient replica : replicas) {
      Poll.until(Poll.WAIT, "a replica's slave_repl_offset to reach " + want, () -> {
        String got = InfoFields.get(replica.call("INFO", "replication"), "slave_repl_offset");
        return got != null && Long.parseLong(got) >= want;
      });
    }
  }

  /** Waits until the replica's dataset digest equals the master's (taken once: the master must be quiet). */
  public static void awaitSameDigest(RespClient master, RespClient replica) {
    String want = master.call("DEBUG", "DIGEST");
    Poll.equal(Poll.WAIT, "the replica's digest", want, () -> replica.call("DEBUG", "DIGEST"));
  }
}
