package dev.vireo.replication.master;

import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded waits, INFO fields and log capture for the master-side replication tests. */
final class Repl {
  /** The bound of every wait for replication to catch up. */
  static final Duration WAIT = Duration.ofSeconds(20);

  private Repl() {}

  static void until(String what, BooleanSupplier condition) {
    until(WAIT, what, condition);
  }

  static void until(Duration within, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      sleep(20);
    }
  }

  /** Waits until {@code value} returns {@code expected}; fails with the last value seen. */
  static void equal(String what, String expected, Supplier<String> value) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String last = value.get();
    while (!expected.equals(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + ": expected " + expected + " but was " + last);
      }
      sleep(20);
      last = value.get();
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** One field of an INFO reply, or null. */
  static String field(String info, String name) {
    for (String line : info.split("\r\n")) {
      if (line.startsWith(name + ":")) return line.substring(name.length() + 1);
    }
    return null;
  }

  static String info(RespClient c, String section, String name) {
    return field(c.call("INFO", section), name);
  }

  static long infoLong(RespClient c, String section, String name) {
    String v = info(c, section, name);
    if (v == null) throw new AssertionError("INFO " + section + " has no " + name);
    return Long.parseLong(v);
  }

  /**
   * Waits until the replica applied everything the master produced: offsets equal. Both are read again each time,
   * since the master's periodic PING moves its offset now and then.
   */
  static void awaitSameOffset(RespClient master, RespClient replica) {
    String[] last = new String[2];
    until(WAIT, "the same offset on both", () -> {
      last[0] = info(master, "replication", "master_repl_offset");
      last[1] = info(replica, "replication", "slave_repl_offset");
      return last[0].equals(last[1]);
    });
  }

  /** What a node logs from now on (still printed too), for assertions on log lines. */
  static final class LogCapture {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

    static LogCapture of(TestNode node) {
      LogCapture c = new LogCapture();
      PrintStream original = System.out;
      OutputStream tee = new OutputStream() {
        @Override
        public void write(int b) {
          synchronized (c.buf) {
            c.buf.write(b);
          }
          original.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          synchronized (c.buf) {
            c.buf.write(b, off, len);
          }
          original.write(b, off, len);
        }
      };
      node.node().server().log.output(new PrintStream(tee, true, StandardCharsets.UTF_8));
      return c;
    }

    String text() {
      synchronized (buf) {
        return buf.toString(StandardCharsets.UTF_8);
      }
    }

    void await(String line) {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!text().contains(line)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("timed out waiting for the log line '" + line + "'; log so far:\n" + text());
        }
        sleep(20);
      }
    }
  }
}
