package dev.vireo.replication.propagation;

import dev.vireo.testkit.RespClient;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Waiting for a replica's link to its master, as its INFO tells it. */
final class Links {
  private static final Pattern LINK = Pattern.compile("master_link_status:(\\w+)");

  private Links() {}

  static void awaitUp(RespClient replica, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      Matcher m = LINK.matcher(replica.call("INFO", "replication"));
      if (m.find() && m.group(1).equals("up")) return;
      if (System.nanoTime() > deadline) throw new AssertionError(what + " never linked to the master");
      Thread.sleep(20);
    }
  }
}
