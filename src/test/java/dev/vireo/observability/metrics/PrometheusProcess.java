package dev.vireo.observability.metrics;

import dev.vireo.testkit.ExternalTool;
import dev.vireo.testkit.FreePort;
import dev.vireo.testkit.Http;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.TempDirs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (Debian's {@code prometheus}) on a free loopback port, with a generated configuration that
 * scrapes the given targets' {@code /metrics} every second and keeps its storage in a temp directory; queried
 * back through its HTTP API. Stopped (SIGTERM, then SIGKILL) and its directory removed on close.
 */
final class PrometheusProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final Path dir;
  private final int port;

  private PrometheusProcess(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /** Starts Prometheus scraping {@code targets} ({@code host:port}) as job {@code vireo}. */
  static PrometheusProcess start(List<String> targets) {
    Path binary = ExternalTool.require("prometheus");
    Path dir;
    try {
      dir = Files.createTempDirectory("vireo-prometheus");
      StringBuilder cfg = new StringBuilder()
          .append("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n")
          .append("scrape_configs:\n  - job_name: vireo\n    metrics_path: /metrics\n    static_configs:\n")
          .append("      - targets:\n");
      for (String t : targets) cfg.append("          - '").append(t).append("'\n");
      Files.writeString(dir.resolve("prometheus.yml"), cfg.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int port = FreePort.get();
    List<String> command = List.of(binary.toString(),
        "--config.file=" + dir.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port,
        "--log.level=warn");
    Process process;
    try {
      process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    } catch (IOException e) {
      TempDirs.deleteQuietly(dir);
      throw new UncheckedIOException("cannot start " + command, e);
    }
    PrometheusProcess p = new PrometheusProcess(process, dir, port);
    try {
      p.awaitReady();
    } catch (RuntimeException | Error e) {
      p.close();
      throw e;
    }
    return p;
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) throw new IllegalStateException("prometheus exited: " + log());
      try {
        HttpResponse<String> r = Http.get(port, "/-/ready");
        if (r.statusCode() == 200) return;
        last = r.statusCode() + " " + r.body();
      } catch (UncheckedIOException e) {
        last = e.getMessage();
      }
      Poll.sleep(100);
    }
    throw new IllegalStateException("prometheus not ready within " + START_TIMEOUT.toSeconds() + " s (last: " + last
        + "); log: " + log());
  }

  private JsonObject api(String pathAndQuery) {
    HttpResponse<String> r = Http.get(port, pathAndQuery);
    if (r.statusCode() != 200) throw new AssertionError(pathAndQuery + " -> " + r.statusCode() + " " + r.body());
    JsonObject body = new JsonObject(r.body());
    if (!"success".equals(body.getString("status"))) throw new AssertionError(pathAndQuery + " -> " + body);
    return body;
  }

  /** An instant query: the vector's samples (each {@code {"metric":{..},"value":[t,"v"]}}). */
  JsonArray query(String promql) {
    JsonObject data = api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
        .getJsonObject("data");
    if (!"vector".equals(data.getString("resultType"))) throw new AssertionError(promql + " -> " + data);
    return data.getJsonArray("result");
  }

  /** The value of a query that returns one sample; NaN when it returns none. */
  double value(String promql) {
    JsonArray r = query(promql);
    if (r.isEmpty()) return Double.NaN;
    if (r.size() > 1) throw new AssertionError(promql + " returned " + r.size() + " samples: " + r);
    return Double.parseDouble(r.getJsonObject(0).getJsonArray("value").getString(1));
  }

  /** Every metric name Prometheus has stored. */
  Set<String> metricNames() {
    Set<String> out = new TreeSet<>();
    for (Object n : api("/api/v1/label/__name__/values").getJsonArray("data")) out.add((String) n);
    return out;
  }

  /** The scrape state of each target, from {@code /api/v1/targets}. */
  JsonArray activeTargets() {
    return api("/api/v1/targets").getJsonObject("data").getJsonArray("activeTargets");
  }

  String log() {
    try {
      return Files.readString(dir.resolve("prometheus.log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    try {
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      TempDirs.deleteQuietly(dir);
    }
  }
}
