package dev.vireo.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.ExternalTool;
import dev.vireo.testkit.Http;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TempDirs;
import dev.vireo.testkit.TestNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The status page in a real headless Chromium: loads offline, and the handshake appears live in the DOM. */
@Timeout(180)
class StatusPageBrowserIT {
  private static final String MASTER_PASSWORD = "Master-Pass-b61f4c";
  private static final String WRONG_PASSWORD = "Wrong-Pass-8a2d90";
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** Chromium and its driver at Debian's paths when they are there, else wherever the machine has them. */
  private static Path tool(String debianPath, String name) {
    Path p = Path.of(debianPath);
    return Files.isExecutable(p) ? p : ExternalTool.require(name);
  }

  /** A browser of its own: a fresh profile, no network of its own, and every host but loopback unresolvable. */
  private static final class Browser implements AutoCloseable {
    final ChromeDriver driver;
    private final Path profile;

    Browser() throws IOException {
      Path chromium = tool("/usr/bin/chromium", "chromium");
      Path chromedriver = tool("/usr/bin/chromedriver", "chromedriver");
      profile = Files.createTempDirectory("vireo-chromium");
      ChromeOptions options = new ChromeOptions();
      options.setBinary(chromium.toFile());
      options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1200,1800",
          // a request to any other host fails instead of leaving the machine
          "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1");
      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort().build();
      ChromeDriver d;
      try {
        d = new ChromeDriver(service, options);
      } catch (RuntimeException e) {
        service.stop();
        TempDirs.deleteQuietly(profile);
        throw e;
      }
      driver = d;
    }

    Object js(String script, Object... args) {
      return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    WebDriverWait waiting() {
      WebDriverWait w = new WebDriverWait(driver, WAIT);
      w.pollingEvery(Duration.ofMillis(25));
      return w;
    }

    /** A step's status and text, read in one go: the list is redrawn on every push. */
    List<String> step(String step) {
      @SuppressWarnings("unchecked")
      List<String> got = (List<String>) js("const li = document.querySelector(\"#link-steps li[data-step='\" + "
          + "arguments[0] + \"']\"); return li ? [li.dataset.status, li.textContent, "
          + "li.querySelector('.step-duration').textContent] : ['', '', '']", step);
      return got;
    }

    String stepStatus(String step) {
      return step(step).get(0);
    }

    void screenshot(String name) throws IOException {
      Path out = Path.of("target", name);
      Files.createDirectories(out.getParent());
      Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), out, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
      try {
        driver.quit(); // stops chromium and chromedriver
      } finally {
        TempDirs.deleteQuietly(profile);
      }
    }
  }

  private static void openPage(Browser b, TestNode node) {
    b.driver.get("http://127.0.0.1:" + node.httpPort() + "/");
    b.waiting().withMessage("the event stream to open")
        .until(d -> "live".equals(d.findElement(By.id("stream-status")).getText()));
  }

  @Test
  void loadsWithNothingFromElsewhereAndShowsTheHandshakeLive() throws IOException {
    try (RedisServerProcess redis = RedisServerProcess.start("--repl-diskless-sync-delay", "0");
        RespClient m = redis.client();
        TestNode node = Http.node();
        RespClient r = node.client();
        Browser b = new Browser()) {
      for (int i = 0; i < 200; i++) m.call("SET", "key:" + i, "value " + i);
      openPage(b, node);
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
      assertEquals("master", b.driver.findElement(By.id("role")).getText().toLowerCase());
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
      b.waiting().withMessage("the role and keys to follow")
          .until(d -> d.findElement(By.id("role")).getText().equalsIgnoreCase("replica")
              && d.findElement(By.cssSelector("#keyspace tbody")).getText().contains("200"));
      assertTrue(b.driver.findElement(By.id("link-summary")).getText().contains("127.0.0.1:" + redis.port()));
      b.waiting().withMessage("the lag chart to draw")
          .until(d -> !d.findElement(By.cssSelector("#chart-bytes .line")).getDomAttribute("d").isEmpty());
      b.screenshot("status-page.png");

      // at phone width nothing sticks out sideways
      b.driver.manage().window().setSize(new Dimension(390, 844));
      b.waiting().withMessage("the narrow layout").until(d -> ((Number) b.js(
          "return document.documentElement.scrollWidth")).intValue() <= ((Number) b.js(
          "return window.innerWidth")).intValue());
      b.screenshot("status-page-phone.png");
    }
  }

  @Test
  void wrongMasterauthShowsAFailedAuthStepWithItsReason() throws IOException {
    try (RedisServerProcess redis = RedisServerProcess.start("--requirepass", MASTER_PASSWORD);
        TestNode node = Http.node("--masterauth", WRONG_PASSWORD);
        RespClient r = node.client();
        Browser b = new Browser()) {
      openPage(b, node);
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(redis.port())));
      // each new attempt starts its steps afresh (after 1 s, 2 s, ...): catch the failed one, whole
      List<List<String>> seen = new ArrayList<>();
      b.waiting().withMessage("a failed AUTH step").until(d -> {
        seen.clear();
        for (String step : List.of("connect", "ping", "auth", "replconf")) seen.add(b.step(step));
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
