package dev.vireo.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.bus.Addresses;
import dev.vireo.testkit.Http;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.Replicas;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;

/**
 * A failover watched in a real headless Chromium: the phases published at {@code vireo.replication.failover} (the
 * JSON documented there) appear on the page's timeline as they come, and the role badge follows {@code REPLICAOF}
 * without a reload. One browser for the class.
 */
@Timeout(120)
class FailoverPageBrowserIT {
  private static final String MASTER_PASSWORD = "Failover-Pass-3c7e51";
  private static final String TARGET = "127.0.0.1:7302";

  private static StatusBrowser browser;

  @BeforeAll
  static void startBrowser() throws IOException {
    browser = new StatusBrowser();
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) browser.close();
  }

  private static JsonObject phase(String phase, String state, long elapsed, long offset, long targetOffset) {
    return new JsonObject().put("phase", phase).put("side", "master").put("state", state).put("target", TARGET)
        .put("offset", offset).put("target_offset", targetOffset).put("elapsed_ms", elapsed)
        .put("ts", System.currentTimeMillis());
  }

  @Test
  void phasesAppearLiveInOrderAndAnAbortShowsRedWithItsError() throws IOException {
    StatusBrowser b = browser;
    try (TestNode node = Http.node()) {
      b.open(node);
      assertTrue(b.phases().isEmpty(), "no failover yet: " + b.phases());
      b.js("window.vireoSamePage = 'yes'");
      b.recordRoles();
      List<JsonObject> sequence = List.of(phase("started", "waiting-for-sync", 0, 9000, 8800),
          phase("synced", "failover-in-progress", 31, 9000, 9000),
          phase("psync-failover", "failover-in-progress", 33, 9000, 9000),
          phase("role-switched", "failover-in-progress", 35, 9000, 9000),
          phase("resynced", "failover-in-progress", 52, 9000, 9000),
          phase("done", "no-failover", 53, 9000, 9000));
      for (int i = 0; i < sequence.size(); i++) {
        JsonObject ev = sequence.get(i);
        node.vertx().eventBus().publish(Addresses.REPLICATION_FAILOVER, ev);
        Map<String, String> shown = b.awaitPhase(i);
        assertEquals(ev.getString("phase"), shown.get("phase"), b.phases().toString());
        assertEquals("+" + ev.getLong("elapsed_ms") + " ms", shown.get("elapsed"));
        assertTrue(shown.get("info").contains("target " + TARGET), shown.toString());
        // the latest phase pulses while the failover runs; the ones before it are done
        assertEquals(i < sequence.size() - 1 ? "active" : "done", shown.get("status"), shown.toString());
        List<String> order = b.phases().stream().map(p -> p.get("phase")).toList();
        assertEquals(sequence.subList(0, i + 1).stream().map(e -> e.getString("phase")).toList(), order);
      }
      b.awaitOutcome("done");
      // the badge followed role-switched the moment it came (INFO, this node being a master still, turns it back)
      assertTrue(b.rolesShown().contains("replica of " + TARGET), b.rolesShown().toString());
      Map<String, String> started = b.phases().get(0);
      assertEquals("done", started.get("status"));
      assertTrue(started.get("info").contains("offset 9,000 · target offset 8,800"), started.toString());
      assertTrue(b.driver.findElement(By.id("failover-summary")).getText().contains("done in 53 ms"));
      assertEquals("yes", b.js("return window.vireoSamePage"));
      b.screenshot("failover-page.png");

      // a second failover replaces the timeline; its abort is red, with the reason
      node.vertx().eventBus().publish(Addresses.REPLICATION_FAILOVER, phase("started", "waiting-for-sync", 0, 9100,
          9000));
      b.waiting().withMessage("the second failover").until(d -> b.phases().size() == 1);
      node.vertx().eventBus().publish(Addresses.REPLICATION_FAILOVER, phase("aborted", "no-failover", 2001, 9100,
          9000).put("error", "FAILOVER target replica is not online."));
      b.awaitOutcome("aborted");
      Map<String, String> aborted = b.awaitPhase(1);
      assertEquals("aborted", aborted.get("phase"));
      assertEquals("failed", aborted.get("status"));
      assertEquals("FAILOVER target replica is not online.", aborted.get("error"));
      String color = (String) b.js("return getComputedStyle(document.querySelector("
          + "\"#failover-phases li[data-phase='aborted']\")).color");
      assertEquals("rgb(198, 40, 40)", color, "aborted shows in red");
      assertTrue(b.driver.findElement(By.id("failover-error")).getText().contains("not online"));
      assertTrue(b.driver.findElement(By.cssSelector("#feed li[data-phase='aborted']")).getText()
          .contains("FAILOVER target replica is not online."));
      b.screenshot("failover-page-aborted.png");
      b.fitsWidth(390, 844);
      b.screenshot("failover-page-phone.png");
    } finally {
      b.fitsWidth(1200, 1800);
    }
  }

  @Test
  void theRoleBadgeFollowsReplicaofLive() throws IOException {
    StatusBrowser b = browser;
    try (RedisServerProcess redis = RedisServerProcess.start("--requirepass", MASTER_PASSWORD,
            "--repl-diskless-sync-delay", "0");
        TestNode node = Http.node("--masterauth", MASTER_PASSWORD);
        RespClient r = node.client()) {
      b.open(node);
      Map<String, String> before = b.awaitRole("master", "");
      assertEquals("master", before.get("text"));
      assertTrue(before.get("since").startsWith("since "), before.toString());
      b.js("window.vireoSamePage = 'yes'");

      String master = "127.0.0.1:" + redis.port();
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(redis.port())));
      Map<String, String> replica = b.awaitRole("replica", master);
      assertEquals("replica of " + master, replica.get("text"));
      assertTrue(replica.get("since").matches("since \\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\(\\d+ s ago, replicaof\\)"),
          replica.toString());
      assertTrue(Long.parseLong(replica.get("since_ms")) > Long.parseLong(before.get("since_ms")),
          "since moves with the role: " + before + " then " + replica);
      b.waiting().withMessage("the link online").until(d -> "done".equals(b.stepStatus("online")));
      assertTrue(b.driver.findElement(By.cssSelector("#feed li[data-role='replica']")).getText()
          .contains("replica of " + master));
      b.fitsWidth(390, 844); // the longer badge wraps on a phone
      b.screenshot("role-badge-phone.png");
      b.fitsWidth(1200, 1800);

      assertEquals("+OK\r\n", r.call("REPLICAOF", "NO", "ONE"));
      Map<String, String> promoted = b.awaitRole("master", "");
      assertTrue(promoted.get("since").endsWith("replicaof)"), promoted.toString());
      assertEquals("yes", b.js("return window.vireoSamePage"));
      // and still, with the same since, after a status push built from an INFO taken after the change
      long since = Long.parseLong(promoted.get("since_ms"));
      b.waiting().withMessage("a status push after REPLICAOF NO ONE")
          .until(d -> b.statusTime() > since + HttpVerticle.SAMPLE_MILLIS + 100);
      Map<String, String> after = b.role();
      assertEquals("master", after.get("role"));
      assertEquals(promoted.get("since_ms"), after.get("since_ms"));
      String page = b.driver.getPageSource();
      assertFalse(page.contains(MASTER_PASSWORD), "a password shows on the page");
    } finally {
      b.fitsWidth(1200, 1800);
    }
  }

  /**
   * End to end: a real {@code FAILOVER} from the node whose page is open to its replica. Its own phases appear in
   * order as they happen, the summary says done, and the badge ends as a replica of the old replica.
   */
  @Test
  void aRealFailoverShowsItsPhasesAndTheNewRole() {
    StatusBrowser b = browser;
    try (TestNode master = Http.node("--repl-diskless-sync-delay", "0");
        TestNode replica = TestNode.start();
        RespClient m = master.client();
        RespClient r = replica.client()) {
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port())));
      Replicas.awaitLinkUp(r);
      Poll.equal(Poll.WAIT, "the master's connected replicas", "1",
          () -> InfoFields.get(m.call("INFO", "replication"), "connected_slaves"));
      assertEquals("+OK\r\n", m.call("SET", "before", "failover"));
      b.open(master);
      b.awaitRole("master", "");

      assertEquals("+OK\r\n", m.call("FAILOVER", "TO", "127.0.0.1", Integer.toString(replica.port())));
      b.awaitOutcome("done");
      List<String> order = b.phases().stream().map(p -> p.get("phase")).toList();
      assertEquals(List.of("started", "synced", "psync-failover", "role-switched", "resynced", "done"), order);
      String target = "127.0.0.1:" + replica.port();
      assertTrue(b.awaitPhase("started").get("info").contains("target " + target), b.phases().toString());
      b.awaitRole("replica", target);
      assertEquals("master", InfoFields.get(r.call("INFO", "replication"), "role"));
    }
  }
}
