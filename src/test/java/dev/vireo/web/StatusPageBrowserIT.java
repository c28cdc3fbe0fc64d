package dev.vireo.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.Http;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;

/** The status page in a real headless Chromium: loads offline, and the handshake appears live in the DOM. */
@Timeout(180)
class StatusPageBrowserIT {
  private static final String MASTER_PASSWORD = "Master-Pass-b61f4c";
  private static final String WRONG_PASSWORD = "Wrong-Pass-8a2d90";

  @Test
  void loadsWithNothingFromElsewhereAndShowsTheHandshakeLive() throws IOException {
    try (RedisServerProcess redis = RedisServerProcess.start("--repl-diskless-sync-delay", "0");
        RespClient m = redis.client();
        TestNode node = Http.node();
        RespClient r = node.client();
        StatusBrowser b = new StatusBrowser()) {
      for (int i = 0; i < 200; i++) m.call("SET", "key:" + i, "value " + i);
      b.open(node);
      String origin = "http://127.0.0.1:" + node.httpPort();

      // every asset is the node's own: relative URLs in the markup, and every request made went to the node
      @SuppressWarnings("unchecked")
      List<String> urls = (List<String>) b.js("return Array.from(document.querySelectorAll("
          + "'script[src],link[href],img[src],iframe[src],source[src]')).map(e => e.getAttribute('src') || e.getAttribute('href'))");
      assertFalse(urls.isEmpty());
      for (String url : urls) {
        assertFalse(url.contains(":") || url.startsWith("//"), "not a relative URL: " + url);
      }
      @SuppressWarnings("unchecked")
      List<String> fetched = (List<String>) b.js(
          "return performance.getEntriesByType('resource').map(e => e.name)");
      assertTrue(fetched.stream().anyMatch(u -> u.endsWith("/status.js")), fetched.toString());
      for (String url : fetched) assertTrue(url.startsWith(origin + "/"), "fetched from elsewhere: " + url);
      assertEquals("master", b.role().get("role"));
      assertTrue(b.driver.findElements(By.cssSelector("#link-steps li")).isEmpty(), "a master has no steps");

      // the page is not reloaded from here on: whatever changes comes over the stream
      b.js("window.vireoSamePage = 'yes'");
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(redis.port())));
      b.waiting().withMessage("the online step to light up")
          .until(d -> "done".equals(b.stepStatus("online")));
      assertEquals("yes", b.js("return window.vireoSamePage"));
      for (String step : List.of("connect", "ping", "replconf", "psync", "transfer")) {
        List<String> st = b.step(step);
        assertEquals("done", st.get(0), step);
        assertTrue(st.get(2).matches("\\d+ ms|\\d+\\.\\d+ s"), step + ": " + st);
      }
      assertEquals("skipped", b.stepStatus("auth"));
      assertEquals("not needed", b.step("auth").get(2));
      b.waiting().withMessage("the feed to show CONNECTED")
          .until(d -> !d.findElements(By.cssSelector("#feed li[data-state='CONNECTED']")).isEmpty());
      b.awaitRole("replica", "127.0.0.1:" + redis.port());
      b.waiting().withMessage("the keys to follow")
          .until(d -> d.findElement(By.cssSelector("#keyspace tbody")).getText().contains("200"));
      assertTrue(b.driver.findElement(By.id("link-summary")).getText().contains("127.0.0.1:" + redis.port()));
      b.waiting().withMessage("the lag chart to draw")
          .until(d -> !d.findElement(By.cssSelector("#chart-bytes .line")).getDomAttribute("d").isEmpty());
      b.screenshot("status-page.png");

      // at phone width nothing sticks out sideways
      b.fitsWidth(390, 844);
      b.screenshot("status-page-phone.png");
    }
  }

  @Test
  void wrongMasterauthShowsAFailedAuthStepWithItsReason() throws IOException {
    try (RedisServerProcess redis = RedisServerProcess.start("--requirepass", MASTER_PASSWORD);
        TestNode node = Http.node("--masterauth", WRONG_PASSWORD);
        RespClient r = node.client();
        StatusBrowser b = new StatusBrowser()) {
      b.open(node);
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(redis.port())));
      // each new attempt starts its steps afresh (after 1 s, 2 s, ...): catch the failed one, whole
      List<List<String>> seen = new ArrayList<>();
      b.waiting().withMessage("a failed AUTH step").until(d -> {
        seen.clear();
        seen.addAll(b.steps("connect", "ping", "auth", "replconf"));
        return "failed".equals(seen.get(2).get(0));
      });
      assertTrue(seen.get(2).get(1).contains("Unable to AUTH to MASTER: -WRONGPASS"), seen.toString());
      assertEquals("done", seen.get(0).get(0), seen.toString());
      assertEquals("done", seen.get(1).get(0), seen.toString());
      assertEquals("pending", seen.get(3).get(0), seen.toString());
      b.screenshot("status-page-auth-failed.png");
      b.waiting().withMessage("the last failure line")
          .until(d -> d.findElement(By.id("last-error")).getText().contains("WRONGPASS"));
      assertTrue(b.driver.findElement(By.id("last-error")).getText().contains("auth"));
      String page = b.driver.getPageSource();
      assertFalse(page.contains(WRONG_PASSWORD) || page.contains(MASTER_PASSWORD), "a password shows on the page");
    }
  }
}
