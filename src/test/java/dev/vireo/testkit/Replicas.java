package dev.vireo.testkit;

/** Waits that replication tests share: a replica's link up, and a replica holding its master's dataset. */
public final class Replicas {
  private Replicas() {}

  /** Waits until {@code master_link_status:up}. */
  public static void awaitLinkUp(RespClient replica) {
    Poll.equal(Poll.WAIT, "master_link_status", "up",
        () -> InfoFields.get(replica.call("INFO", "replication"), "master_link_status"));
  }

  /** Waits until the replica's dataset digest equals the master's (taken once: the master must be quiet). */
  public static void awaitSameDigest(RespClient master, RespClient replica) {
    String want = master.call("DEBUG", "DIGEST");
    Poll.equal(Poll.WAIT, "the replica's digest", want, () -> replica.call("DEBUG", "DIGEST"));
  }
}
