package dev.vireo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
  @Test
  void everyValueFallsInABucketWhoseBoundHoldsItWithinSixPercent() {
    for (long v : new long[] {0, 1, 15, 16, 17, 31, 32, 1000, 123_456, 9_999_999, Long.MAX_VALUE / 4}) {
      long bound = LatencyHistogram.upperBound(LatencyHistogram.index(v));
      assertTrue(bound >= v, v + " -> " + bound);
      assertTrue(bound - v <= Math.max(1, v / 16), v + " -> " + bound);
    }
  }

  @Test
  void percentilesOfAKnownDistribution() {
    LatencyHistogram h = new LatencyHistogram();
    assertEquals(0, h.percentile(50));
    for (int i = 1; i <= 1000; i++) h.record(i * 1000L); // 1..1000 microseconds
    assertEquals(1000, h.count());
    long p50 = h.percentile(50);
    long p99 = h.percentile(99);
    assertTrue(p50 >= 500_000 && p50 <= 500_000 * 17 / 16, "p50 " + p50);
    assertTrue(p99 >= 990_000 && p99 <= 990_000 * 17 / 16, "p99 " + p99);
    h.reset();
    assertEquals(0, h.count());
  }
}
