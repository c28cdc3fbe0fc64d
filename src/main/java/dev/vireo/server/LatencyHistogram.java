package dev.vireo.server;

import java.util.Arrays;

/**
 * Per-command latency distribution for INFO latencystats: log-linear buckets (each power of two of nanoseconds
 * split into 16 linear steps, so a percentile is within ~6% of the true value); recording is one array increment.
 */
public final class LatencyHistogram {
  private static final int SUB = 16;
  private static final int SUB_BITS = 4;
  private final long[] counts = new long[64 * SUB];
  private long total;

  public void record(long nanos) {
    if (nanos < 0) nanos = 0;
    counts[index(nanos)]++;
    total++;
  }

  static int index(long v) {
    if (v < SUB) return (int) v;
    int msb = 63 - Long.numberOfLeadingZeros(v);
    int shift = msb - SUB_BITS;
    int sub = (int) ((v >>> shift) & (SUB - 1));
    return (shift + 1) * SUB + sub;
  }

  /** The largest value a bucket holds. */
  static long upperBound(int idx) {
    if (idx < SUB) return idx;
    int shift = idx / SUB - 1;
    long sub = idx % SUB;
    return ((SUB + sub + 1) << shift) - 1;
  }

  public long count() {
    return total;
  }

  /** The smallest value a bucket holds. */
  static long lowerBound(int idx) {
    if (idx < SUB) return idx;
    int shift = idx / SUB - 1;
    long sub = idx % SUB;
    return (SUB + sub) << shift;
  }

  /**
   * The value at percentile p (0..100), in nanoseconds, as HdrHistogram answers it: the rank rounded to nearest, the
   * largest value of its bucket (the smallest for percentile 0); 0 when nothing was recorded.
   */
  public long percentile(double p) {
    if (total == 0) return 0;
    long rank = (long) (Math.min(p, 100.0) / 100.0 * total + 0.5);
    if (rank < 1) rank = 1;
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) return p == 0 ? lowerBound(i) : upperBound(i);
    }
    return upperBound(counts.length - 1);
  }

  /** How many recorded values lie in buckets wholly at or below {@code nanos}. */
  public long countAtOrBelow(long nanos) {
    long n = 0;
    for (int i = 0; i < counts.length && upperBound(i) <= nanos; i++) n += counts[i];
    return n;
  }

  public void reset() {
    Arrays.fill(counts, 0);
    total = 0;
  }
}
