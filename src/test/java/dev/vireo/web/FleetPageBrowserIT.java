package dev.vireo.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.FreePort;
import dev.vireo.testkit.Http;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.Replicas;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The fleet view end to end: four Vireo nodes on loopback joined as one fleet (a master, two replicas, one of them
 * with a chained replica) and a real Redis replica outside it. Headless Chromium on any node's {@code /fleet} shows
 * every node and edge, with the offsets each node's INFO gives; a node killed shows down within the bound and
 * back once restarted; a REPLICAOF on one node shows live on another node's page.
 */
class FleetPageBrowserIT {
  private static final Duration JOIN = Duration.ofSeconds(90);

  private static String[] args(int port, int fleetPort, String members) {
    return new String[] {"--port", Integer.toString(port), "--fleet", "yes", "--fleet-port",
        Integer.toString(fleetPort), "--fleet-members", members, "--repl-diskless-sync-delay", "0"};
  }

  /** The page's nodes: addr -> "role|member|up|offset", read in one script. */
  @SuppressWarnings("unchecked")
  private static Map<String, String> shown(StatusBrowser b) {
    Object got = b.js("const out = {}; document.querySelectorAll('#nodes tbody tr').forEach(tr => { "
        + "const td = tr.querySelectorAll('td'); out[tr.dataset.addr] = [td[1].textContent, td[8].textContent, "
        + "td[4].textContent, td[2].textContent].join('|'); }); return out;");
    return new TreeMap<>((Map<String, String>) got);
  }

  @SuppressWarnings("unchecked")
  private static List<String> edges(StatusBrowser b) {
    return new ArrayList<>((List<String>) b.js("return Array.from(document.querySelectorAll('#graph path.edge'))"
        + ".map(p => p.dataset.from + '>' + p.dataset.to).sort();"));
  }

  private static String addr(int port) {
    return "127.0.0.1:" + port;
  }

  @Test
  void theFleetPageShowsTheWholeTopologyLive() throws IOException {
    int n = 4;
    int[] ports = new int[n];
    int[] fleetPorts = new int[n];
    List<String> members = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ports[i] = FreePort.get();
      fleetPorts[i] = FreePort.get();
      members.add(addr(fleetPorts[i]));
    }
    String list = String.join(",", members);
    TestNode[] nodes = new TestNode[n];
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      for (int i = 0; i < n; i++) nodes[i] = Http.node(args(ports[i], fleetPorts[i], list));
      try (RespClient m = nodes[0].client(); RespClient r1 = nodes[1].client(); RespClient r2 = nodes[2].client();
          RespClient r3 = nodes[3].client(); RespClient rr = redis.client()) {
        r1.call("REPLICAOF", "127.0.0.1", Integer.toString(ports[0]));
        r2.call("REPLICAOF", "127.0.0.1", Integer.toString(ports[0]));
        r3.call("REPLICAOF", "127.0.0.1", Integer.toString(ports[1]));
        rr.call("REPLICAOF", "127.0.0.1", Integer.toString(ports[0]));
        for (int k = 0; k < 100; k++) m.call("SET", "k" + k, "v" + k);
        Replicas.awaitApplied(m, r1, r2, rr);
        Replicas.awaitApplied(r1, r3);

        // /api/fleet of the chained replica: every member up, the Redis replica known from INFO, four edges
        Poll.until(JOIN, "the fleet view to hold every node", () -> {
          JsonObject v = new JsonObject(Http.get(nodes[3].httpPort(), "/api/fleet").body());
          return v.getJsonArray("nodes").size() == 5 && v.getJsonArray("edges").size() == 4
              && v.getJsonArray("nodes").stream().map(o -> (JsonObject) o)
                  .allMatch(x -> !x.getBoolean("member") || x.getBoolean("up"));
        });

        // in a fleet a replica knows its lag in milliseconds (its master's offset samples), on its status too
        Poll.until(Duration.ofSeconds(10), "a replica's status with lag.ms", () -> {
          Object ms = Http.status(nodes[1].httpPort()).getJsonObject("lag").getValue("ms");
          return ms instanceof Number;
        });

        try (StatusBrowser b = new StatusBrowser()) {
          b.driver.get("http://127.0.0.1:" + nodes[2].httpPort() + "/fleet");
          Map<String, String> expected = new TreeMap<>();
          String[] role = {"master", "replica", "replica", "replica"};
          String[] master = {"–", addr(ports[0]), addr(ports[0]), addr(ports[1])};
          b.waiting().withMessage(() -> "the page to show every node at its INFO offset; it shows " + shown(b))
              .until(d -> {
                expected.clear();
                RespClient[] cs = {m, r1, r2, r3};
                for (int i = 0; i < n; i++) {
                  expected.put(addr(ports[i]), role[i] + "|up|" + InfoFields.get(cs[i], "master_repl_offset")
                      + "|" + master[i]);
                }
                expected.put(addr(redis.port()), "replica|from INFO|"
                    + InfoFields.get(m, "slave" + slaveIndex(m, redis.port())).replaceAll(".*offset=(\\d+).*", "$1")
                    + "|" + addr(ports[0]));
                return expected.equals(shown(b));
              });
          assertEquals(List.of(addr(ports[0]) + ">" + addr(ports[1]), addr(ports[0]) + ">" + addr(ports[2]),
              addr(ports[0]) + ">" + addr(redis.port()), addr(ports[1]) + ">" + addr(ports[3])).stream().sorted()
              .toList(), edges(b));

          // on the master's page, a node killed shows down within min(2 x repl-ping-replica-period, 5 s) plus a
          // snapshot's second
          b.driver.get("http://127.0.0.1:" + nodes[0].httpPort() + "/fleet");
          b.waiting().withMessage("the master's page").until(d -> shown(b).size() == 5);
          nodes[2].close();
          long killed = System.nanoTime();
          b.waiting().withMessage(() -> "the killed node to show down; the page shows " + shown(b))
              .until(d -> shown(b).getOrDefault(addr(ports[2]), "").startsWith("replica|down"));
          long tookMillis = (System.nanoTime() - killed) / 1_000_000;
          assertTrue(tookMillis <= 6500, "shown down after " + tookMillis + " ms");

          // restarted, it is back
          nodes[2] = Http.node(args(ports[2], fleetPorts[2], list));
          try (RespClient again = nodes[2].client()) {
            again.call("REPLICAOF", "127.0.0.1", Integer.toString(ports[0]));
          }
          new WebDriverWait(b.driver, JOIN)
              .withMessage("the restarted node to show up again")
              .until(d -> shown(b).getOrDefault(addr(ports[2]), "").startsWith("replica|up"));

          // a REPLICAOF on the chained replica shows live on the master's page
          r3.call("REPLICAOF", "127.0.0.1", Integer.toString(ports[0]));
          b.waiting().withMessage(() -> "the new edge; the page shows " + edges(b))
              .until(d -> edges(b).contains(addr(ports[0]) + ">" + addr(ports[3])));
        }
      }
    } finally {
      for (TestNode t : nodes) {
        if (t != null) t.close();
      }
    }
  }

  private static int slaveIndex(RespClient m, int port) {
    for (int i = 0; i < 8; i++) {
      String s = InfoFields.get(m, "slave" + i);
      if (s != null && s.contains("port=" + port + ",")) return i;
    }
    throw new AssertionError("no replica on port " + port);
  }
}
