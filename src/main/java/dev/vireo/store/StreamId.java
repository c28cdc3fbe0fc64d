package dev.vireo.store;

import java.nio.charset.StandardCharsets;

/**
 * A stream entry ID: milliseconds and sequence, each an unsigned 64-bit number, ordered as one 128-bit number.
 * The text form is {@code ms-seq} in unsigned decimal.
 */
public record StreamId(long ms, long seq) implements Comparable<StreamId> {
  public static final StreamId MIN = new StreamId(0, 0);
  public static final StreamId MAX = new StreamId(-1L, -1L);

  @Override
  public int compareTo(StreamId o) {
    int c = Long.compareUnsigned(ms, o.ms);
    return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
  }

  public boolean isZero() {
    return ms == 0 && seq == 0;
  }

  /** The next ID, or null after the largest. */
  public StreamId next() {
    if (seq != -1L) return new StreamId(ms, seq + 1);
    if (ms != -1L) return new StreamId(ms + 1, 0);
    return null;
  }

  /** The previous ID, or null before the smallest. */
  public StreamId previous() {
    if (seq != 0) return new StreamId(ms, seq - 1);
    if (ms != 0) return new StreamId(ms - 1, -1L);
    return null;
  }

  @Override
  public String toString() {
    return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
  }

  /** The text form as bytes, written straight from the two numbers. */
  public byte[] bytes() {
    if (ms >= 0 && seq >= 0) {
      int n1 = digits(ms);
      int n2 = digits(seq);
      byte[] b = new byte[n1 + 1 + n2];
      put(b, n1, ms);
      b[n1] = '-';
      put(b, n1 + 1 + n2, seq);
      return b;
    }
    return toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static int digits(long v) {
    int n = 1;
    while (v >= 10) {
      v /= 10;
      n++;
    }
    return n;
  }

  /** Writes the decimal digits of {@code v} (not negative) ending just before {@code end}. */
  private static void put(byte[] b, int end, long v) {
    do {
      b[--end] = (byte) ('0' + v % 10);
      v /= 10;
    } while (v != 0);
  }
}
