package dev.vireo.interop;

import static org.junit.jupiter.api.Assertions.fail;

import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.RespClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Blocking stream reads driven from several clients, the same scenario against a real Redis 7.0.15 and Vireo: every
 * reply, of the blocked clients and of the others, must be equal (clock fields within a slack, see
 * {@link StreamReplies}). Clients are sequenced by polling {@code blocked_clients} of {@code INFO clients} on each
 * server, so a client is known to wait before the next one is started or the stream is written.
 *
 * <p>Covered: XREAD BLOCK on several keys, with {@code $} and explicit IDs, on a key that does not exist yet, served
 * in the order the clients blocked; XREADGROUP BLOCK with {@code >} handing each waiter a different entry; NOACK
 * while blocked; timeouts (RESP2 and RESP3 nulls); CLIENT UNBLOCK with TIMEOUT and ERROR; a blocked XREADGROUP whose
 * group is destroyed, whose key is deleted, or whose key is overwritten by another type; XREAD BLOCK inside
 * MULTI/EXEC. {@code -Dvireo.reference=redis} runs a second redis-server in place of Vireo; {@code
 * -Dvireo.diff.trace=true} prints what Redis answered to each command.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamBlockingDifferentialIT {
  private static final long SLACK_MILLIS = 1000;

  private AnyServer redis;
  private AnyServer other;

  @BeforeAll
  void start() {
    redis = AnyServer.redis();
    other = AnyServer.start("redis".equals(System.getProperty("vireo.reference")) ? "redis" : "vireo");
  }

  @AfterAll
  void stop() {
    if (redis != null) redis.close();
    if (other != null) other.close();
  }

  /** What one scenario did on one server: each command (for masking) and the reply it got, in order. */
  private static final class Run implements AutoCloseable {
    final AnyServer server;
    final RespClient admin;
    final List<String[]> commands = new ArrayList<>();
    final List<String> replies = new ArrayList<>();
    final List<RespClient> clients = new ArrayList<>();

    Run(AnyServer server) {
      this.server = server;
      this.admin = server.client();
      admin.call("FLUSHALL");
    }

    RespClient client() {
      RespClient c = server.client();
      clients.add(c);
      return c;
    }

    /** Sends a command and records its reply. */
    void call(RespClient c, String... cmd) {
      commands.add(cmd);
      replies.add(c.call(cmd));
    }

    void call(String... cmd) {
      call(admin, cmd);
    }

    /** Sends a command that blocks, then waits until the server counts {@code blocked} blocked clients. */
    void block(RespClient c, int blocked, String... cmd) {
      c.sendRaw(RespClient.encodeCommand(cmd));
      awaitBlocked(blocked);
    }

    /** Reads the reply a blocked client got and records it, labelled with the command it had sent. */
    void read(RespClient c, String... cmd) {
      commands.add(cmd);
      replies.add(c.readReply());
    }

    int blocked() {
      return Integer.parseInt(InfoFields.get(admin.call("INFO", "clients"), "blocked_clients"));
    }

    void awaitBlocked(int n) {
      long deadline = System.nanoTime() + 5_000_000_000L;
      int seen;
      while ((seen = blocked()) != n) {
        if (System.nanoTime() > deadline) fail("blocked_clients stayed " + seen + ", never became " + n);
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          fail("interrupted");
        }
      }
    }

    @Override
    public void close() {
      for (RespClient c : clients) c.close();
      admin.close();
    }
  }

  private interface Scenario {
    void play(Run run);
  }

  private void compare(Scenario scenario) {
    List<String> differences = new ArrayList<>();
    try (Run expected = new Run(redis); Run actual = new Run(other)) {
      scenario.play(expected);
      scenario.play(actual);
      if (Boolean.getBoolean("vireo.diff.trace")) {
        for (int i = 0; i < expected.replies.size(); i++) {
          System.out.println(String.join(" ", expected.commands.get(i)) + "  ->  "
              + StreamDifferentialIT.show(expected.replies.get(i)));
        }
      }
      int n = Math.max(expected.replies.size(), actual.replies.size());
      for (int i = 0; i < n; i++) {
        String[] cmd = i < expected.commands.size() ? expected.commands.get(i) : actual.commands.get(i);
        String r = i < expected.replies.size() ? expected.replies.get(i) : "(none)";
        String v = i < actual.replies.size() ? actual.replies.get(i) : "(none)";
        String why = StreamReplies.mismatch(cmd, r, v, SLACK_MILLIS, false);
        if (why != null) {
          differences.add("#" + (i + 1) + " " + String.join(" ", cmd) + " (" + why + ")\n  redis: "
              + StreamDifferentialIT.show(r) + "\n  vireo: " + StreamDifferentialIT.show(v));
        }
      }
    }
    if (!differences.isEmpty()) fail(String.join("\n", differences));
  }

  /**
   * XREAD waiters on several keys, with {@code $}, explicit IDs and a key created later: each XADD serves every
   * client waiting on its key, in the order they blocked; a transaction's entries are served together at EXEC.
   */
  @Test
  void xreadWaitersAreServedInOrder() {
    compare(run -> {
      run.call("XADD", "k2", "1-0", "f", "v");
      RespClient a = run.client();
      RespClient b = run.client();
      RespClient c = run.client();
      RespClient d = run.client();
      String[] onBoth = {"XREAD", "BLOCK", "0", "STREAMS", "k1", "k2", "$", "$"};
      String[] afterOne = {"XREAD", "BLOCK", "0", "STREAMS", "k2", "1-0"};
      String[] countOne = {"XREAD", "COUNT", "1", "BLOCK", "0", "STREAMS", "k1", "$"};
      String[] notYet = {"XREAD", "BLOCK", "0", "STREAMS", "k3", "k1", "$", "$"};
      run.block(a, 1, onBoth);
      run.block(b, 2, afterOne);
      run.block(c, 3, countOne);
      run.block(d, 4, notYet);
      run.call("XADD", "k1", "5-0", "a", "1");
      run.read(a, onBoth);
      run.read(c, countOne);
      run.read(d, notYet);
      run.awaitBlocked(1);
      run.call("XADD", "k2", "2-0", "b", "2");
      run.read(b, afterOne);
      run.awaitBlocked(0);
      // a key that does not exist yet, then two entries in one transaction
      run.block(a, 1, notYet);
      run.block(c, 2, countOne);
      run.call("MULTI");
      run.call("XADD", "k3", "1-0", "x", "1");
      run.call("XADD", "k3", "1-1", "x", "2");
      run.call("XADD", "k1", "6-0", "y", "1");
      run.call("XADD", "k1", "7-0", "y", "2");
      run.call("EXEC");
      run.read(a, notYet);
      run.read(c, countOne);
      run.awaitBlocked(0);
      run.call("XRANGE", "k3", "-", "+");
    });
  }

  /** XREADGROUP waiters with {@code >}: each entry goes to one waiter, in the order they blocked. */
  @Test
  void xreadgroupWaitersGetDifferentEntries() {
    compare(run -> {
      run.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
      List<RespClient> waiters = new ArrayList<>();
      List<String[]> cmds = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        RespClient c = run.client();
        String[] cmd = {"XREADGROUP", "GROUP", "g", "c" + i, "COUNT", "1", "BLOCK", "0", "STREAMS", "s", ">"};
        run.block(c, i, cmd);
        waiters.add(c);
        cmds.add(cmd);
      }
      run.call("XADD", "s", "1-0", "n", "1");
      run.read(waiters.get(0), cmds.get(0));
      run.awaitBlocked(2);
      run.call("MULTI");
      run.call("XADD", "s", "2-0", "n", "2");
      run.call("XADD", "s", "3-0", "n", "3");
      run.call("EXEC");
      run.read(waiters.get(1), cmds.get(1));
      run.read(waiters.get(2), cmds.get(2));
      run.awaitBlocked(0);
      run.call("XPENDING", "s", "g");
      run.call("XPENDING", "s", "g", "-", "+", "10");
      run.call("XINFO", "CONSUMERS", "s", "g");
      run.call("XINFO", "GROUPS", "s");
      // NOACK while blocked: delivered, never pending
      RespClient n = run.client();
      String[] noack = {"XREADGROUP", "GROUP", "g", "c9", "NOACK", "BLOCK", "0", "STREAMS", "s", ">"};
      run.block(n, 1, noack);
      run.call("XADD", "s", "4-0", "n", "4");
      run.read(n, noack);
      run.call("XPENDING", "s", "g");
      run.call("XINFO", "STREAM", "s", "FULL");
    });
  }

  /**
   * XREADGROUP waiters on several keys, and an XADD that trims: a waiter is served from the key that got the entry,
   * the group's last delivered ID and lag move, and entries trimmed away before delivery are never delivered.
   */
  @Test
  void xreadgroupWaitersOnSeveralKeys() {
    compare(run -> {
      run.call("XGROUP", "CREATE", "a", "g", "$", "MKSTREAM");
      run.call("XGROUP", "CREATE", "b", "g", "$", "MKSTREAM");
      RespClient one = run.client();
      RespClient two = run.client();
      String[] both = {"XREADGROUP", "GROUP", "g", "c1", "BLOCK", "0", "STREAMS", "a", "b", ">", ">"};
      String[] onlyB = {"XREADGROUP", "GROUP", "g", "c2", "COUNT", "5", "BLOCK", "0", "STREAMS", "b", ">"};
      run.block(one, 1, both);
      run.block(two, 2, onlyB);
      run.call("XADD", "b", "1-0", "f", "1");
      run.read(one, both);
      run.awaitBlocked(1);
      run.call("MULTI");
      run.call("XADD", "b", "2-0", "f", "2");
      run.call("XADD", "b", "MAXLEN", "1", "3-0", "f", "3");
      run.call("EXEC");
      run.read(two, onlyB);
      run.awaitBlocked(0);
      run.call("XINFO", "GROUPS", "b");
      run.call("XPENDING", "b", "g", "-", "+", "10");
      two.call("HELLO", "3"); // the reply names the connection id: not compared
      run.block(two, 1, both);
      run.call("XADD", "a", "9-0", "f", "9");
      run.read(two, both);
      run.call("XINFO", "STREAM", "a", "FULL");
    });
  }

  /** BLOCK with a timeout and nothing to read: a null, as RESP2 and RESP3 write it. */
  @Test
  void timeoutsReplyNull() {
    compare(run -> {
      run.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
      RespClient c = run.client();
      run.call(c, "XREAD", "BLOCK", "50", "STREAMS", "s", "$");
      run.call(c, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "50", "STREAMS", "s", ">");
      run.call(c, "XREAD", "BLOCK", "50", "STREAMS", "nokey", "0");
      c.call("HELLO", "3");
      run.call(c, "XREAD", "BLOCK", "50", "STREAMS", "s", "$");
      run.call(c, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "50", "STREAMS", "s", ">");
      run.call(c, "XREAD", "BLOCK", "-1", "STREAMS", "s", "$");
      run.call(c, "XREAD", "BLOCK", "x", "STREAMS", "s", "$");
      run.call("XINFO", "CONSUMERS", "s", "g");
    });
  }

  /** CLIENT UNBLOCK ends a blocked XREAD or XREADGROUP as a timeout (null) or with an UNBLOCKED error. */
  @Test
  void clientUnblockEndsTheWait() {
    compare(run -> {
      run.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
      RespClient c = run.client();
      String id = c.call("CLIENT", "ID").substring(1).strip();
      String[] xread = {"XREAD", "BLOCK", "0", "STREAMS", "s", "$"};
      String[] xreadgroup = {"XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"};
      run.block(c, 1, xread);
      run.call("CLIENT", "UNBLOCK", id, "TIMEOUT");
      run.read(c, xread);
      run.block(c, 1, xreadgroup);
      run.call("CLIENT", "UNBLOCK", id, "ERROR");
      run.read(c, xreadgroup);
      run.block(c, 1, xread);
      run.call("CLIENT", "UNBLOCK", id);
      run.read(c, xread);
      run.awaitBlocked(0);
      run.call("CLIENT", "UNBLOCK", id, "ERROR");
      run.call("CLIENT", "UNBLOCK", id, "BOGUS");
      c.call("HELLO", "3");
      run.block(c, 1, xreadgroup);
      run.call("CLIENT", "UNBLOCK", id, "TIMEOUT");
      run.read(c, xreadgroup);
      run.call("XINFO", "CONSUMERS", "s", "g");
    });
  }

  /**
   * A blocked XREADGROUP whose group is destroyed, whose key is deleted, or whose key becomes a string: what Redis
   * 7.0.15 answers the waiter (an error, or the timeout when it keeps waiting) is what Vireo must answer.
   */
  @Test
  void xreadgroupWaiterLosesItsGroupOrKey() {
    compare(run -> {
      RespClient c = run.client();
      String[] wait = {"XREADGROUP", "GROUP", "g", "c", "BLOCK", "1000", "STREAMS", "s", ">"};
      run.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
      run.block(c, 1, wait);
      run.call("XGROUP", "DESTROY", "s", "g");
      run.read(c, wait);
      run.awaitBlocked(0);

      run.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
      run.block(c, 1, wait);
      run.call("DEL", "s");
      run.read(c, wait);
      run.awaitBlocked(0);

      run.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
      run.block(c, 1, wait);
      run.call("SET", "s", "now a string");
      run.read(c, wait);
      run.awaitBlocked(0);

      // deleted and created again, with the group, before the waiter is served
      run.call("DEL", "s");
      run.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
      run.block(c, 1, wait);
      run.call("MULTI");
      run.call("DEL", "s");
      run.call("XGROUP", "CREATE", "s", "g", "0", "MKSTREAM");
      run.call("XADD", "s", "1-0", "f", "v");
      run.call("EXEC");
      run.read(c, wait);
      run.awaitBlocked(0);

      // a plain XREAD waiter whose key is deleted and written again
      String[] xread = {"XREAD", "BLOCK", "1000", "STREAMS", "s", "$"};
      run.block(c, 1, xread);
      run.call("DEL", "s");
      run.call("XADD", "s", "2-0", "f", "v");
      run.read(c, xread);
      run.awaitBlocked(0);
    });
  }

  /** Inside MULTI/EXEC a blocking read never waits: it answers what there is, or a null. */
  @Test
  void blockInsideMultiDoesNotBlock() {
    compare(run -> {
      run.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
      run.call("MULTI");
      run.call("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
      run.call("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">");
      run.call("XREAD", "BLOCK", "0", "STREAMS", "s", "0");
      run.call("XADD", "s", "1-0", "f", "v");
      run.call("XREAD", "BLOCK", "0", "STREAMS", "s", "0");
      run.call("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "NOACK", "STREAMS", "s", ">");
      run.call("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
      run.call("EXEC");
      run.call("XPENDING", "s", "g");
    });
  }
}
