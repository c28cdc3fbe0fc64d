package dev.vireo.web;

import dev.vireo.testkit.ExternalTool;
import dev.vireo.testkit.TempDirs;
import dev.vireo.testkit.TestNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium on the status page, for the browser tests: a fresh profile, no network of its own and
 * every host but loopback unresolvable, so the page is seen as it is offline. Reads what the page shows in one
 * script each (the lists are redrawn on every push), and waits for it with a bound.
 */
final class StatusBrowser implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(30);

  final ChromeDriver driver;
  private final Path profile;

  /** Chromium and its driver at Debian's paths when they are there, else wherever the machine has them. */
  private static Path tool(String debianPath, String name) {
    Path p = Path.of(debianPath);
    return Files.isExecutable(p) ? p : ExternalTool.require(name);
  }

  StatusBrowser() throws IOException {
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

  /** Loads a node's status page and waits for its event stream to open. */
  void open(TestNode node) {
    driver.get("http://127.0.0.1:" + node.httpPort() + "/");
    waiting().withMessage("the event stream to open")
        .until(d -> "live".equals(d.findElement(By.id("stream-status")).getText()));
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  WebDriverWait waiting() {
    WebDriverWait w = new WebDriverWait(driver, WAIT);
    w.pollingEvery(Duration.ofMillis(25));
    return w;
  }

  // ---------------------------------------------------------------- master link

  /** A link step's status, whole text and duration text. */
  List<String> step(String step) {
    return steps(step).get(0);
  }

  /** Several link steps' status, whole text and duration text, read at one instant ({@link #step}). */
  List<List<String>> steps(String... steps) {
    @SuppressWarnings("unchecked")
    List<List<String>> got = (List<List<String>>) js("return Array.from(arguments).map(s => { "
        + "const li = document.querySelector(\"#link-steps li[data-step='\" + s + \"']\"); return li ? "
        + "[li.dataset.status, li.textContent, li.querySelector('.step-duration').textContent] : ['', '', '']; })",
        (Object[]) steps);
    return got;
  }

  String stepStatus(String step) {
    return step(step).get(0);
  }

  // ---------------------------------------------------------------- role

  /**
   * The role badge: {@code role} (master, replica), {@code master} ("host:port" or ""), its {@code text}, the
   * {@code since} line and {@code since_ms} (epoch milliseconds, "" when unknown).
   */
  Map<String, String> role() {
    @SuppressWarnings("unchecked")
    Map<String, String> got = (Map<String, String>) js("const b = document.getElementById('role'); "
        + "const s = document.getElementById('role-since'); return {role: b.dataset.role || '', "
        + "master: b.dataset.master || '', text: b.textContent, since: s.textContent, "
        + "since_ms: s.dataset.since || ''}");
    return got;
  }

  /** The node's time of the last status the page got (epoch milliseconds), 0 before any. */
  long statusTime() {
    return ((Number) js("return Number(document.getElementById('stream-status').dataset.time || 0)")).longValue();
  }

  /** Waits until the badge says {@code role} ({@code master}: "" for a master), and returns it. */
  Map<String, String> awaitRole(String role, String master) {
    waiting().withMessage(() -> "the role badge to say " + role + " " + master + "; it says " + role())
        .until(d -> role.equals(role().get("role")) && master.equals(role().get("master")));
    return role();
  }

  // ---------------------------------------------------------------- failover

  /**
   * The failover timeline as shown, in order: per phase {@code phase}, {@code status} (done, active, failed),
   * {@code elapsed} ("+12 ms"), {@code info} (target, offsets, state, detail), {@code error}.
   */
  List<Map<String, String>> phases() {
    @SuppressWarnings("unchecked")
    List<Map<String, String>> got = (List<Map<String, String>>) js("return Array.from(document.querySelectorAll("
        + "'#failover-phases li')).map(li => { const t = c => { const e = li.querySelector(c); "
        + "return e ? e.textContent : ''; }; return {phase: li.dataset.phase, status: li.dataset.status, "
        + "elapsed: t('.step-duration'), info: t('.phase-info'), error: t('.step-error')}; })");
    return got;
  }

  /** Waits until the timeline shows phase {@code n} (from 0, in the order published) and returns it. */
  Map<String, String> awaitPhase(int n) {
    waiting().withMessage(() -> "phase " + n + " of the failover; the page shows " + phases())
        .until(d -> phases().size() > n);
    return phases().get(n);
  }

  /** Waits until the timeline shows a phase named {@code phase} and returns it. */
  Map<String, String> awaitPhase(String phase) {
    waiting().withMessage(() -> "the failover phase " + phase + "; the page shows " + phases())
        .until(d -> phases().stream().anyMatch(p -> phase.equals(p.get("phase"))));
    return phases().stream().filter(p -> phase.equals(p.get("phase"))).findFirst().orElseThrow();
  }

  /** Waits until the failover card shows an outcome: {@code done}, {@code aborted}, {@code promoted}. */
  void awaitOutcome(String outcome) {
    waiting().withMessage(() -> "the failover to end " + outcome + "; the page shows " + phases())
        .until(d -> outcome.equals(js("return document.getElementById('failover-card').dataset.outcome || ''")));
  }

  /** From now on, every text the role badge shows is recorded, however briefly: {@link #rolesShown()}. */
  void recordRoles() {
    js("window.vireoRoles = []; const b = document.getElementById('role'); new MutationObserver(() => "
        + "window.vireoRoles.push(b.textContent)).observe(b, {childList: true, characterData: true, subtree: true})");
  }

  @SuppressWarnings("unchecked")
  List<String> rolesShown() {
    return (List<String>) js("return window.vireoRoles");
  }

  // ---------------------------------------------------------------- layout

  /** Resizes the window and waits until nothing sticks out sideways. */
  void fitsWidth(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
    waiting().withMessage("the layout at " + width + " px").until(d -> ((Number) js(
        "return document.documentElement.scrollWidth")).intValue() <= ((Number) js(
        "return window.innerWidth")).intValue());
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
