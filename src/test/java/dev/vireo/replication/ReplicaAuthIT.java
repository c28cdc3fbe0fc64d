package dev.vireo.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.bus.Addresses;
import dev.vireo.testkit.Datasets;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.Replicas;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** masterauth against a master with requirepass: right, wrong and missing passwords. */
@Timeout(120)
class ReplicaAuthIT {
  private static final String PASSWORD = "Master-Pass-7f3a";
  private static final String WRONG = "Wrong-Pass-91c2";

  /** A node with its log and replication events captured. */
  private record Watched(TestNode node, ByteArrayOutputStream log, List<JsonObject> events) {
    String logText() {
      synchronized (log) {
        return log.toString(StandardCharsets.UTF_8);
      }
    }

    String eventsText() {
      return events.toString();
    }
  }

  private static Watched watch(TestNode node) {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    node.node().server().log.output(new PrintStream(log, true, StandardCharsets.UTF_8));
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    node.vertx().eventBus().<JsonObject>consumer(Addresses.REPLICATION_STATE, msg -> events.add(msg.body()));
    return new Watched(node, log, events);
  }

  @Test
  void rightPasswordSyncs() {
    try (RedisServerProcess redis = RedisServerProcess.start("--requirepass", PASSWORD, "--enable-debug-command",
            "yes", "--repl-diskless-sync-delay", "0");
        RespClient m = redis.client();
        TestNode node = TestNode.start("--masterauth", PASSWORD);
        RespClient r = node.client()) {
      Watched w = watch(node);
      Datasets.fillEveryType(m);
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(redis.port())));
      Replicas.awaitLinkUp(r);
      Replicas.awaitSameDigest(m, r);
      Poll.until(Poll.WAIT, "a CONNECTED event",
          () -> w.events().stream().anyMatch(e -> e.getString("state").equals("CONNECTED")));
      JsonObject connected = w.events().stream().filter(e -> e.getString("state").equals("CONNECTED"))
          .findFirst().orElseThrow();
      assertEquals("TRANSFER", connected.getString("previous"));
      assertEquals("127.0.0.1", connected.getString("master_host"));
      assertEquals(redis.port(), connected.getInteger("master_port"));
      assertEquals(1, connected.getInteger("attempt"));
      assertTrue(connected.getLong("elapsed_ms") >= 0);
      assertTrue(w.events().stream().anyMatch(e -> e.getString("state").equals("RECEIVE_AUTH_REPLY")),
          w.eventsText());
      assertFalse(w.eventsText().contains(PASSWORD), w.eventsText());
      assertFalse(w.logText().contains(PASSWORD), w.logText());
    }
  }

  @Test
  void wrongPasswordStaysDownAndSaysWhy() {
    try (RedisServerProcess redis = RedisServerProcess.start("--requirepass", PASSWORD);
        TestNode node = TestNode.start("--masterauth", WRONG);
        RespClient r = node.client()) {
      Watched w = watch(node);
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(redis.port())));
      Poll.until(Poll.WAIT, "an AUTH error event", () -> w.events().stream()
          .anyMatch(e -> e.getString("error", "").contains("Unable to AUTH to MASTER: -WRONGPASS")));
      JsonObject failed = w.events().stream().filter(e -> e.containsKey("error")).findFirst().orElseThrow();
      assertEquals("CONNECT", failed.getString("state"));
      assertEquals("RECEIVE_AUTH_REPLY", failed.getString("previous"));
      String info = r.call("INFO", "replication");
      assertEquals("down", InfoFields.get(info, "master_link_status"), info);
      assertTrue(r.call("ROLE").contains("slave"));
      assertTrue(w.logText().contains("WRONGPASS"), w.logText());
      assertFalse(w.eventsText().contains(WRONG), w.eventsText());
      assertFalse(w.logText().contains(WRONG), w.logText());
    }
  }

  @Test
  void missingPasswordStaysDownAndSaysWhy() {
    try (RedisServerProcess redis = RedisServerProcess.start("--requirepass", PASSWORD);
        TestNode node = TestNode.start();
        RespClient r = node.client()) {
      Watched w = watch(node);
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(redis.port())));
      Poll.until(Poll.WAIT, "a NOAUTH error event", () -> w.events().stream()
          .anyMatch(e -> e.getString("error", "").contains("masterauth is not set")));
      Poll.sleep(1500); // a retry happens meanwhile, and fails the same way
      String info = r.call("INFO", "replication");
      assertEquals("down", InfoFields.get(info, "master_link_status"), info);
      assertTrue(w.logText().contains("NOAUTH"), w.logText());
    }
  }

  @Test
  void passwordNotNeededIsAnErrorToo() {
    try (RedisServerProcess redis = RedisServerProcess.start();
        TestNode node = TestNode.start("--masterauth", WRONG);
        RespClient r = node.client()) {
      Watched w = watch(node);
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(redis.port())));
      Poll.until(Poll.WAIT, "an AUTH error event", () -> w.events().stream()
          .anyMatch(e -> e.getString("error", "").contains("Unable to AUTH to MASTER")));
      assertEquals("down", InfoFields.get(r.call("INFO", "replication"), "master_link_status"));
      assertFalse(w.eventsText().contains(WRONG), w.eventsText());
      assertFalse(w.logText().contains(WRONG), w.logText());
    }
  }
}
