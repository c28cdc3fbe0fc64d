package dev.vireo.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/**
 * What differential tests that run one scenario on Redis and on Vireo share: a command's reply or the fact that the
 * server holds the client (blocked or paused), a client's CLIENT LIST fields, and the line-by-line comparison of
 * the two transcripts.
 */
public final class Transcripts {
  /** What {@link #replyOrHeld} records for a client the server holds. */
  public static final String HELD = "(held)";
  private static final Duration QUICK = Duration.ofMillis(25);

  private Transcripts() {}

  /** {@code blocked_clients} of INFO clients. */
  public static int blockedClients(RespClient admin) {
    return Integer.parseInt(InfoFields.get(admin.call("INFO", "clients"), "blocked_clients"));
  }

  /**
   * Sends {@code cmd} on {@code c}: its reply, or {@value #HELD} once the server counts one more blocked client
   * (asked on {@code admin}) while no reply came, within {@code within}.
   */
  public static String replyOrHeld(RespClient admin, RespClient c, Duration within, String... cmd) {
    int before = blockedClients(admin);
    c.sendRaw(RespClient.encodeCommand(cmd));
    Duration normal = c.readTimeout();
    c.readTimeout(QUICK);
    long deadline = System.nanoTime() + within.toNanos();
    try {
      while (true) {
        try {
          return c.readReply();
        } catch (UncheckedIOException e) {
          if (blockedClients(admin) > before) return HELD;
          if (System.nanoTime() > deadline) throw e;
        }
      }
    } finally {
      c.readTimeout(normal);
    }
  }

  /** The {@code fields} of the CLIENT LIST line of the client named {@code name}, or "(missing)". */
  public static String clientListFields(RespClient admin, String name, String... fields) {
    for (String line : admin.call("CLIENT", "LIST").split("\n")) {
      if (!line.contains(" name=" + name + " ")) continue;
      StringBuilder sb = new StringBuilder();
      for (String f : fields) {
        for (String kv : line.split(" ")) if (kv.startsWith(f + "=")) sb.append(kv).append(' ');
      }
      return sb.toString().trim();
    }
    return "(missing)";
  }

  /** Fails with each line where Vireo's transcript differs from Redis's. */
  public static void assertSame(List<String> redisSaw, List<String> vireoSaw) {
    StringBuilder diff = new StringBuilder();
    for (int i = 0; i < Math.max(redisSaw.size(), vireoSaw.size()); i++) {
      String a = i < redisSaw.size() ? redisSaw.get(i) : "(nothing)";
      String b = i < vireoSaw.size() ? vireoSaw.get(i) : "(nothing)";
      if (!a.equals(b)) diff.append("\n  redis: ").append(a).append("\n  vireo: ").append(b);
    }
    assertEquals("", diff.toString(), "Vireo's transcript differs from Redis's");
  }
}
