package dev.vireo.replication;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded polling for replication tests: the link works asynchronously. */
final class Poll {
  private Poll() {}

  static void until(Duration within, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      sleep(20);
    }
  }

  /** Waits until {@code value} returns {@code expected}; fails with the last value seen. */
  static void equal(Duration within, String what, String expected, Supplier<String> value) {
    long deadline = System.nanoTime() + within.toNanos();
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
}
