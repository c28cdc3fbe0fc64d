package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import dev.vireo.testkit.Transcripts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sharded pub/sub (SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH, PUBSUB SHARDCHANNELS / SHARDNUMSUB) outside cluster mode, the
 * same scenario on a real redis-server 7.0 and on Vireo: every reply and every pushed frame of every client, byte
 * for byte, in RESP2 and RESP3. Where Redis's order comes from a hash table (SUNSUBSCRIBE without arguments, PUBSUB
 * SHARDCHANNELS) the names are compared as a sorted list and the counts in the order they came.
 */
@Timeout(60)
class ShardedPubSubIT {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final Pattern BULK = Pattern.compile("\\$[0-9]+\\r\\n([^\\r]*)\\r\\n");

  private static RedisServerProcess redis;
  private static TestNode vireo;

  @BeforeAll
  static void start() {
    redis = RedisServerProcess.start("--enable-debug-command", "yes");
    vireo = TestNode.start();
  }

  @AfterAll
  static void stop() {
    if (redis != null) redis.close();
    if (vireo != null) vireo.close();
  }

  /** One server under test, its named connections and the transcript of the scenario. */
  private static final class Side implements AutoCloseable {
    final int port;
    final RespClient admin;
    final Map<String, RespClient> clients = new LinkedHashMap<>();
    final List<String> transcript = new ArrayList<>();

    Side(int port) {
      this.port = port;
      this.admin = new RespClient(port).readTimeout(WAIT);
      admin.call("CLIENT", "SETNAME", "admin");
    }

    /** A new connection named {@code name}, in RESP {@code proto}. */
    RespClient open(String name, int proto) {
      RespClient c = new RespClient(port).readTimeout(WAIT);
      if (proto == 3) c.call("HELLO", "3");
      c.call("CLIENT", "SETNAME", name);
      clients.put(name, c);
      return c;
    }

    void record(String label, String value) {
      transcript.add(label + " -> " + value);
    }

    /** Sends a command on client {@code who} and records the {@code frames} replies and pushes it gets back. */
    void call(String who, int frames, String... cmd) {
      RespClient c = who.equals("admin") ? admin : clients.get(who);
      c.sendRaw(RespClient.encodeCommand(cmd));
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < frames; i++) sb.append(c.readReply());
      record(who + ": " + String.join(" ", cmd), sb.toString());
    }

    void call(String who, String... cmd) {
      call(who, 1, cmd);
    }

    /** Records the next {@code frames} frames pushed to {@code who}. */
    void pushed(String who, int frames) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < frames; i++) sb.append(clients.get(who).readReply());
      record("pushed to " + who, sb.toString());
    }

    /**
     * A command whose frames come in hash-table order: records the sorted names it carried and, in order, the
     * rest of each frame (its kind and count).
     */
    void callUnordered(String who, int frames, String... cmd) {
      RespClient c = clients.get(who);
      c.sendRaw(RespClient.encodeCommand(cmd));
      List<String> names = new ArrayList<>();
      StringBuilder rest = new StringBuilder();
      for (int i = 0; i < frames; i++) {
        String f = c.readReply();
        Matcher m = BULK.matcher(f);
        assertTrue(m.find() && m.find(), f);
        names.add(m.group(1));
        rest.append(f, 0, m.start()).append("<name>").append(f.substring(m.end()));
      }
      names.sort(null);
      record(who + ": " + String.join(" ", cmd), names + " " + rest);
    }

    /** An admin command answering a list of names in hash-table order: the header and the sorted elements. */
    void callList(String... cmd) {
      String r = admin.call(cmd);
      List<String> names = new ArrayList<>();
      Matcher m = BULK.matcher(r);
      while (m.find()) names.add(m.group(1));
      names.sort(null);
      record("admin: " + String.join(" ", cmd), r.substring(0, r.indexOf('\n') + 1).trim() + " " + names);
    }

    void infoFields(String section, String... fields) {
      String info = admin.call("INFO", section);
      StringBuilder sb = new StringBuilder();
      for (String f : fields) sb.append(f).append(':').append(InfoFields.get(info, f)).append(' ');
      record("INFO " + section, sb.toString().trim());
    }

    /** The fields of the CLIENT LIST line of the client named {@code name}. */
    void clientListFields(String name, String... fields) {
      record("CLIENT LIST " + name, Transcripts.clientListFields(admin, name, fields));
    }

    /** Sends a command on {@code who}: records its reply, or {@value Transcripts#HELD} once the server holds it. */
    void send(String who, String... cmd) {
      record(who + ": " + String.join(" ", cmd), Transcripts.replyOrHeld(admin, clients.get(who), WAIT, cmd));
    }

    /** Waits until PUBSUB SHARDNUMSUB counts {@code n} subscribers of {@code channel}, then records it. */
    void awaitSubscribers(String channel, int n) {
      String want = "*2\r\n$" + channel.length() + "\r\n" + channel + "\r\n:" + n + "\r\n";
      Poll.equal(WAIT, "subscribers of " + channel, want, () -> admin.call("PUBSUB", "SHARDNUMSUB", channel));
      record("SHARDNUMSUB " + channel, Integer.toString(n));
    }

    @Override
    public void close() {
      admin.call("CLIENT", "UNPAUSE");
      clients.values().forEach(RespClient::close);
      admin.close();
    }
  }

  /** Runs {@code scenario} on Redis, then on Vireo, and compares the transcripts line by line. */
  private static void differential(Consumer<Side> scenario) {
    List<List<String>> seen = new ArrayList<>();
    for (int port : new int[] {redis.port(), vireo.port()}) {
      try (Side s = new Side(port)) {
        scenario.accept(s);
        seen.add(s.transcript);
      }
    }
    Transcripts.assertSame(seen.get(0), seen.get(1));
    assertTrue(seen.get(0).size() > 10, "the scenario ran");
  }

  @Test
  void resp2SubscribersPublishersAndIntrospection() {
    differential(s -> {
      s.open("a", 2);
      s.open("b", 2);
      s.open("c", 2);
      // shard confirmations count shard channels only; channels and patterns count together
      s.call("a", 3, "SSUBSCRIBE", "s1", "s2", "s1");
      s.call("a", "SUBSCRIBE", "c1");
      s.call("a", "PSUBSCRIBE", "s*");
      s.call("a", "SSUBSCRIBE", "s3");
      s.call("a", "GET", "x");
      s.call("a", "CLIENT", "INFO");
      s.call("a", "PING");
      s.call("a", "PING", "hi");
      // shard messages ignore patterns; PUBLISH ignores shard subscribers
      s.call("b", "SPUBLISH", "s1", "hi");
      s.pushed("a", 1);
      s.call("b", "PUBLISH", "s1", "x");
      s.pushed("a", 1);
      s.call("c", "SSUBSCRIBE", "s1");
      s.call("b", "SPUBLISH", "s1", "two");
      s.pushed("a", 1);
      s.pushed("c", 1);
      s.call("b", "SPUBLISH", "nobody", "x");
      s.call("b", "SPUBLISH", "c1", "x");

      s.call("admin", "PUBSUB", "SHARDNUMSUB", "s1", "s2", "zz", "c1");
      s.call("admin", "PUBSUB", "SHARDNUMSUB");
      s.call("admin", "PUBSUB", "NUMSUB", "s1", "c1");
      s.callList("PUBSUB", "SHARDCHANNELS");
      s.callList("PUBSUB", "SHARDCHANNELS", "s[12]");
      s.call("admin", "PUBSUB", "SHARDCHANNELS", "nomatch*");
      s.call("admin", "PUBSUB", "CHANNELS");
      s.call("admin", "PUBSUB", "SHARDCHANNELS", "a", "b");
      s.call("admin", "PUBSUB", "CHANNELS", "a", "b");
      s.call("admin", "PUBSUB", "NUMPAT");
      s.infoFields("stats", "pubsub_channels", "pubsub_patterns", "pubsubshard_channels");
      s.clientListFields("a", "flags", "sub", "psub", "ssub", "multi");
      s.clientListFields("c", "flags", "sub", "psub", "ssub", "multi");
      s.clientListFields("b", "flags", "sub", "psub", "ssub", "multi");

      // leaving the plain subscriptions keeps the client in pub/sub mode while shard ones remain
      s.call("a", "UNSUBSCRIBE");
      s.call("a", "PUNSUBSCRIBE");
      s.call("a", "GET", "x");
      s.call("a", 2, "SUNSUBSCRIBE", "s9", "s1");
      s.callUnordered("a", 2, "SUNSUBSCRIBE");
      s.call("a", "SUNSUBSCRIBE");
      s.call("a", "GET", "x");
      s.call("a", "PING");

      // SUBSCRIBE is still allowed inside MULTI; SSUBSCRIBE is not
      s.call("a", "MULTI");
      s.call("a", "SSUBSCRIBE", "m");
      s.call("a", "SUBSCRIBE", "m");
      s.call("a", "EXEC");
      s.call("a", "SUNSUBSCRIBE", "m");
      s.call("a", "UNSUBSCRIBE", "m");
      s.call("a", "EXISTS", "m");

      // a client with no shard subscription: SUNSUBSCRIBE answers with a null channel and leaves it as it was
      s.call("b", "SUNSUBSCRIBE");
      s.call("b", "SUNSUBSCRIBE", "x");
      s.call("b", "GET", "x");
      s.call("b", "SUBSCRIBE", "q");
      s.call("b", "SUNSUBSCRIBE");
      s.call("b", "GET", "x");
      s.call("b", "SSUBSCRIBE", "w");
      s.call("b", "UNSUBSCRIBE", "q");
      s.call("b", "GET", "x");
      s.call("b", "SUNSUBSCRIBE", "w");
      s.call("b", "SPUBLISH", "r");
      s.call("b", "SSUBSCRIBE");
      s.call("b", "PUBLISH", "w", "m");
      // scripts may SPUBLISH, read-only ones may not (it may replicate), and may not SSUBSCRIBE
      s.call("b", "EVAL", "return redis.call('spublish', 'sc', 'm')", "0");
      s.call("b", "EVAL_RO", "return redis.call('spublish', 'sc', 'm')", "0");
      s.call("b", "EVAL_RO", "return redis.call('publish', 'sc', 'm')", "0");
      s.call("b", "EVAL", "#!lua flags=no-writes\nreturn redis.call('spublish', 'sc', 'm')", "0");
      s.call("b", "EVAL", "return redis.call('ssubscribe', 'sc')", "0");

      // RESET, CLIENT KILL and a closed connection forget the subscriptions
      s.call("c", "RESET");
      s.awaitSubscribers("s1", 0);
      s.open("d", 2);
      s.call("d", "SSUBSCRIBE", "k");
      s.call("admin", "CLIENT", "KILL", "TYPE", "pubsub");
      s.awaitSubscribers("k", 0);
      s.open("e", 2);
      s.call("e", "SSUBSCRIBE", "gone");
      s.clients.remove("e").close();
      s.awaitSubscribers("gone", 0);
      s.infoFields("stats", "pubsub_channels", "pubsub_patterns", "pubsubshard_channels");

      // no keyspace involved
      s.call("admin", "DBSIZE");
      s.call("admin", "COMMAND", "GETKEYS", "SPUBLISH", "ch", "m");
      s.call("admin", "COMMAND", "GETKEYS", "SSUBSCRIBE", "ch");
      s.call("admin", "COMMAND", "INFO", "ssubscribe", "sunsubscribe", "spublish");
    });
  }

  @Test
  void resp3PushesAndPauses() {
    differential(s -> {
      s.open("h", 3);
      s.open("p", 2);
      s.call("h", 2, "SSUBSCRIBE", "x", "y");
      s.call("h", "GET", "x");
      s.call("h", "SUBSCRIBE", "x");
      s.call("p", "SPUBLISH", "x", "m");
      s.pushed("h", 1);
      s.call("p", "PUBLISH", "x", "n");
      s.pushed("h", 1);
      s.call("h", "PUBSUB", "SHARDNUMSUB", "x", "y");
      s.call("h", "PUBSUB", "SHARDCHANNELS", "x");
      s.call("h", "COMMAND", "INFO", "spublish");
      s.call("h", "SUNSUBSCRIBE", "x");
      s.call("h", "SUNSUBSCRIBE");
      s.call("h", "SUNSUBSCRIBE");
      s.call("h", "UNSUBSCRIBE");

      // a WRITE pause holds SPUBLISH as it holds PUBLISH (both may replicate); SSUBSCRIBE goes on
      s.call("h", "SSUBSCRIBE", "z");
      s.call("admin", "CLIENT", "PAUSE", "100000", "WRITE");
      s.open("q", 2);
      s.send("q", "SSUBSCRIBE", "z2");
      s.send("p", "SPUBLISH", "z", "held");
      s.call("admin", "CLIENT", "UNPAUSE");
      s.record("reply to SPUBLISH", s.clients.get("p").readReply());
      s.pushed("h", 1);
    });
  }
}
