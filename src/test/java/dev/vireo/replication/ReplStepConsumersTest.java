package dev.vireo.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.observability.SpanNames;
import dev.vireo.testkit.Http;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.SpanCapture;
import dev.vireo.testkit.TestNode;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The three readers of the link's states, spans ({@code replication.*}), meters ({@code /metrics}) and the status
 * page ({@code /api/status}), name the same steps for the same real handshakes with a real Redis 7.0 master: the
 * steps an attempt went through, the ones it went without, and the step where it failed.
 */
@Timeout(120)
class ReplStepConsumersTest {
  private static final String PASSWORD = "steps-pw";
  /** The timed steps: the meters time connect through psync; the transfer is the full sync's timer. */
  private static final Set<ReplStep> TIMED = EnumSet.range(ReplStep.CONNECT, ReplStep.PSYNC);

  private SpanCapture capture;

  @BeforeEach
  void installSdk() {
    capture = SpanCapture.install();
  }

  @AfterEach
  void removeSdk() {
    capture.close();
  }

  @Test
  void aFailedAuthAFullSyncAndAPartialResyncAgree() {
    try (RedisServerProcess master = RedisServerProcess.start("--requirepass", PASSWORD);
        TestNode n = Http.node("--masterauth", "not-" + PASSWORD);
        RespClient r = n.client();
        RespClient m = master.client()) {
      m.call("AUTH", PASSWORD);
      m.call("SET", "k", "v");
      r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port()));

      // the failure: one step, the same for all three
      Poll.until(Poll.WAIT, "the failure seen by spans, meters and the page",
          () -> !roots(StatusCode.ERROR).isEmpty() && !failedInMeters(n).isEmpty()
              && link(n).getJsonObject("last_failure") != null);
      Set<ReplStep> bySpans = EnumSet.noneOf(ReplStep.class);
      for (SpanData root : roots(StatusCode.ERROR)) {
        for (SpanData s : children(root)) if (s.getStatus().getStatusCode() == StatusCode.ERROR) bySpans.add(step(s));
      }
      ReplStep byPage = byId(link(n).getJsonObject("last_failure").getString("step"));
      assertEquals(EnumSet.of(ReplStep.AUTH), bySpans);
      assertEquals(bySpans, failedInMeters(n));
      assertEquals(EnumSet.of(byPage), bySpans);
      assertEquals(0, timerCount(n, "vireo_replication_handshake_step_seconds", ReplStep.AUTH),
          "a failed step has no duration");

      // the full sync
      r.call("CONFIG", "SET", "masterauth", PASSWORD);
      awaitOnline(n, 1);
      SpanData full = latest(roots(StatusCode.OK));
      assertEquals(EnumSet.complementOf(EnumSet.of(ReplStep.ONLINE)), stepsOf(full));
      assertAgree(n, full);

      // the link drops: the replica continues partially, without a transfer
      m.call("SET", "k2", "v2");
      assertTrue(m.call("CLIENT", "KILL", "TYPE", "replica").startsWith(":1"));
      Poll.until(Poll.WAIT, "the partial resync", () -> meter(n, "vireo_replication_sync_seconds_count",
          Map.of("kind", "partial")) == 1 && roots(StatusCode.OK).size() == 2);
      awaitOnline(n, 1);
      SpanData partial = latest(roots(StatusCode.OK));
      assertEquals(EnumSet.range(ReplStep.CONNECT, ReplStep.PSYNC), stepsOf(partial));
      assertEquals(EnumSet.of(ReplStep.AUTH, ReplStep.ONLINE), failedInMeters(n),
          "the dropped link counts on the online step");
      assertEquals(2, timerCount(n, "vireo_replication_handshake_step_seconds", ReplStep.PSYNC));
      assertEquals("skipped", pageStatuses(n).get(ReplStep.TRANSFER));
      assertEquals(stepsOf(partial), ran(pageStatuses(n), ReplStep.ONLINE));
    }
  }

  /** Without masterauth there is no AUTH step anywhere: no span, no duration, "not needed" on the page. */
  @Test
  void withoutMasterauthNoConsumerHasAnAuthStep() {
    try (RedisServerProcess master = RedisServerProcess.start();
        TestNode n = Http.node();
        RespClient r = n.client()) {
      r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port()));
      awaitOnline(n, 1);
      SpanData full = latest(roots(StatusCode.OK));
      assertEquals(EnumSet.of(ReplStep.CONNECT, ReplStep.PING, ReplStep.REPLCONF, ReplStep.PSYNC,
          ReplStep.TRANSFER), stepsOf(full));
      assertAgree(n, full);
      assertEquals("skipped", pageStatuses(n).get(ReplStep.AUTH));
      assertEquals(0, timerCount(n, "vireo_replication_handshake_step_seconds", ReplStep.AUTH));
    }
  }

  /** The steps of the one successful attempt so far, as the spans, the meters and the page show them. */
  private void assertAgree(TestNode n, SpanData attempt) {
    Set<ReplStep> bySpans = stepsOf(attempt);
    Map<ReplStep, String> page = pageStatuses(n);
    assertEquals(bySpans, ran(page, ReplStep.ONLINE), "spans and the page: " + page);
    assertEquals("done", page.get(ReplStep.ONLINE));
    for (ReplStep step : TIMED) {
      assertEquals(bySpans.contains(step), timerCount(n, "vireo_replication_handshake_step_seconds", step) > 0,
          "spans and meters on " + step);
    }
    assertEquals(bySpans.contains(ReplStep.TRANSFER), meter(n, "vireo_replication_full_sync_seconds_count",
        Map.of()) > 0, "spans and meters on the transfer");
  }

  private void awaitOnline(TestNode n, int fullSyncs) {
    Poll.until(Poll.WAIT, "the link up for spans, meters and the page",
        () -> "CONNECTED".equals(link(n).getString("state"))
            && meter(n, "vireo_replication_full_sync_seconds_count", Map.of()) == fullSyncs
            && !roots(StatusCode.OK).isEmpty());
  }

  // ---------------------------------------------------------------- spans

  private List<SpanData> roots(StatusCode status) {
    return capture.exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals(SpanNames.SYNC) && s.getStatus().getStatusCode() == status).toList();
  }

  private static SpanData latest(List<SpanData> spans) {
    return spans.stream().max(Comparator.comparingLong(SpanData::getStartEpochNanos)).orElseThrow();
  }

  private List<SpanData> children(SpanData root) {
    return capture.exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getParentSpanId().equals(root.getSpanId())).toList();
  }

  private Set<ReplStep> stepsOf(SpanData root) {
    Set<ReplStep> out = EnumSet.noneOf(ReplStep.class);
    for (SpanData s : children(root)) out.add(step(s));
    return out;
  }

  /** The step of a step span; the RDB's load runs within the transfer step. */
  private static ReplStep step(SpanData span) {
    if (span.getName().equals(SpanNames.RDB_LOAD)) return ReplStep.TRANSFER;
    for (ReplStep st : ReplStep.values()) if (span.getName().equals(SpanNames.step(st))) return st;
    throw new AssertionError("not a step span: " + span.getName());
  }

  // ---------------------------------------------------------------- the status page

  private static JsonObject link(TestNode n) {
    JsonObject link = Http.status(n.httpPort()).getJsonObject("master_link");
    return link == null ? new JsonObject() : link;
  }

  private static Map<ReplStep, String> pageStatuses(TestNode n) {
    Map<ReplStep, String> out = new TreeMap<>();
    for (Object o : link(n).getJsonArray("steps")) {
      JsonObject st = (JsonObject) o;
      out.put(byId(st.getString("step")), st.getString("status"));
    }
    return out;
  }

  /** The steps the page shows as run (done or failed), without {@code except}. */
  private static Set<ReplStep> ran(Map<ReplStep, String> statuses, ReplStep except) {
    Set<ReplStep> out = EnumSet.noneOf(ReplStep.class);
    statuses.forEach((step, status) -> {
      if (step != except && (status.equals("done") || status.equals("failed"))) out.add(step);
    });
    return out;
  }

  private static ReplStep byId(String id) {
    for (ReplStep st : ReplStep.values()) if (st.id().equals(id)) return st;
    throw new AssertionError("not a step: " + id);
  }

  // ---------------------------------------------------------------- meters

  /** The meters' step tag: the step's id, {@code link} for a dropped link (the online step), as documented. */
  private static String tag(ReplStep step) {
    return step == ReplStep.ONLINE ? "link" : step.id();
  }

  private static Set<ReplStep> failedInMeters(TestNode n) {
    Set<ReplStep> out = EnumSet.noneOf(ReplStep.class);
    for (ReplStep st : ReplStep.values()) {
      if (meter(n, "vireo_replication_sync_failures_total", Map.of("step", tag(st))) > 0) out.add(st);
    }
    return out;
  }

  private static double timerCount(TestNode n, String timer, ReplStep step) {
    return meter(n, timer + "_count", Map.of("step", tag(step)));
  }

  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$",
      Pattern.MULTILINE);

  /** The value of the one sample of {@code name} whose labels include {@code labels}; 0 when there is none. */
  private static double meter(TestNode n, String name, Map<String, String> labels) {
    String body = Http.get(n.httpPort(), "/metrics").body();
    Matcher m = SAMPLE.matcher(body);
    double found = 0;
    int matches = 0;
    while (m.find()) {
      if (!m.group(1).equals(name)) continue;
      String l = m.group(3) == null ? "" : m.group(3);
      if (labels.entrySet().stream().allMatch(e -> l.contains(e.getKey() + "=\"" + e.getValue() + "\""))) {
        found = Double.parseDouble(m.group(4));
        matches++;
      }
    }
    if (matches > 1) throw new AssertionError(matches + " samples of " + name + labels);
    return found;
  }
}
