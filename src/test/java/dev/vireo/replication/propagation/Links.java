package dev.vireo.replication.propagation;

import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RespClient;
import java.time.Duration;

/** Waiting for a replica's link to its master, as its INFO tells it. */
final class Links {
  private Links() {}

  static void awaitUp(RespClient replica, String what) {
    Poll.until(Duration.ofSeconds(20), what + " linked to the master",
        () -> "up".equals(InfoFields.get(replica.call("INFO", "replication"), "master_link_status")));
  }
}
