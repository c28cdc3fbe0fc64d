package dev.vireo.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code redis-cli --replica} attached to a server: it syncs, then prints every command of the replication stream
 * on a line of its own ({@code "SET","k","v"}), which this reads as they come. Closing stops the process.
 */
public final class CliReplica implements AutoCloseable {
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();

  private CliReplica(Process process) {
    this.process = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) lines.add(l);
      } catch (IOException e) {
        // the process was stopped
      }
    }, "redis-cli-replica");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code redis-cli -h 127.0.0.1 -p port --replica}. */
  public static CliReplica attach(int port) {
    try {
      return new CliReplica(new ProcessBuilder(ExternalTool.require("redis-cli").toString(), "-h", "127.0.0.1",
          "-p", Integer.toString(port), "--replica").redirectErrorStream(true).start());
    } catch (IOException e) {
      throw new IllegalStateException("redis-cli --replica did not start", e);
    }
  }

  /** Every line printed so far (those read by {@link #awaitLine}). */
  public List<String> seen() {
    return seen;
  }

  /** Reads lines until one starts with {@code prefix}; fails after {@link Poll#WAIT}. */
  public void awaitLine(String prefix) {
    long deadline = System.nanoTime() + Poll.WAIT.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        String l = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
        if (l == null) throw new AssertionError("redis-cli --replica did not print " + prefix + "; printed: " + seen);
        seen.add(l);
        if (l.startsWith(prefix)) return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while reading redis-cli --replica", e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
