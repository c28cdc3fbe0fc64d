package dev.vireo.observability.metrics;

import dev.vireo.testkit.Http;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.util.List;

/**
 * The compose stack's topology in process: a Vireo master, a replica of it, and a replica of that replica, each
 * with its HTTP endpoint on a free port; returned once both links are up and the master holds a key.
 */
final class ChainedNodes implements AutoCloseable {
  final TestNode master;
  final TestNode replica1;
  final TestNode replica2;

  private ChainedNodes(TestNode master, TestNode replica1, TestNode replica2) {
    this.master = master;
    this.replica1 = replica1;
    this.replica2 = replica2;
  }

  static ChainedNodes start() {
    TestNode master = Http.node();
    TestNode replica1 = null;
    TestNode replica2 = null;
    try {
      replica1 = Http.node();
      replica2 = Http.node();
      try (RespClient m = master.client(); RespClient r1 = replica1.client(); RespClient r2 = replica2.client()) {
        m.call("SET", "k", "v");
        r1.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port()));
        r2.call("REPLICAOF", "127.0.0.1", Integer.toString(replica1.port()));
        Poll.until(Poll.WAIT, "replica 1's link up",
            () -> "up".equals(InfoFields.get(r1, "master_link_status")));
        Poll.until(Poll.WAIT, "replica 2's link up",
            () -> "up".equals(InfoFields.get(r2, "master_link_status")));
      }
      return new ChainedNodes(master, replica1, replica2);
    } catch (RuntimeException | Error e) {
      for (TestNode n : new TestNode[] {replica2, replica1, master}) {
        if (n != null) n.close();
      }
      throw e;
    }
  }

  List<TestNode> all() {
    return List.of(master, replica1, replica2);
  }

  List<String> httpTargets() {
    return all().stream().map(n -> "127.0.0.1:" + n.httpPort()).toList();
  }

  @Override
  public void close() {
    replica2.close();
    replica1.close();
    master.close();
  }
}
