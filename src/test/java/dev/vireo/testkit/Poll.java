package dev.vireo.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded polling: for what a node does asynchronously (a replica link, a snapshot seen over HTTP, a scrape). Each
 * wait fails with an {@link AssertionError} naming what it waited for once {@code within} has passed.
 */
public final class Poll {
  /** A generous bound for what a test waits on a node or a peer to show. */
  public static final Duration WAIT = Duration.ofSeconds(30);
  private static final long EVERY_MILLIS = 20;

  private Poll() {}

  public static void until(Duration within, String what, BooleanSupplier condition) {
    until(within, what, condition, null);
  }

  /** As {@link #until(Duration, String, BooleanSupplier)}; a failure also tells what {@code seen} returns then. */
  public static void until(Duration within, String what, BooleanSupplier condition, Supplier<String> seen) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + (seen == null ? "" : "; seen: " + seen.get()));
      }
      sleep(EVERY_MILLIS);
    }
  }

  /** Waits until {@code value} returns {@code expected}; fails with the last value seen. */
  public static <T> void equal(Duration within, String what, T expected, Supplier<T> value) {
    long deadline = System.nanoTime() + within.toNanos();
    T last = value.get();
    while (!Objects.equals(expected, last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + ": expected " + expected + " but was " + last);
      }
      sleep(EVERY_MILLIS);
      last = value.get();
    }
  }

  /** {@link Thread#sleep}, with an interrupt turned into a failure of the test. */
  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
