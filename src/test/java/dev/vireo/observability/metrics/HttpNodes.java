package dev.vireo.observability.metrics;

import dev.vireo.testkit.FreePort;
import dev.vireo.testkit.TestNode;
import java.util.ArrayList;
import java.util.List;

/** Test nodes with their HTTP endpoint on (TestNode's {@code --http-port 0} turns it off) on a free port. */
final class HttpNodes {
  private HttpNodes() {}

  static TestNode start(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--http-port", Integer.toString(FreePort.get())));
    return TestNode.start(all.toArray(String[]::new));
  }
}
