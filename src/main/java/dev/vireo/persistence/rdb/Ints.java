package dev.vireo.persistence.rdb;

import java.nio.charset.StandardCharsets;

/** Redis's idea of a string that "is" an integer: the exact decimal form of a 64-bit value, nothing else. */
final class Ints {
  private Ints() {}

  /**
   * True when {@code s} is the canonical decimal text of a signed 64-bit integer: an optional minus, no leading
   * zeros, no plus, not "-0", at most 20 characters. Only such strings may be stored as integers, because
   * reading them back must give the same bytes.
   */
  static boolean isCanonicalLong(byte[] s) {
    int len = s.length;
    if (len == 0 || len > 20) {
      return false;
    }
    int i = 0;
    boolean negative = s[0] == '-';
    if (negative) {
      i = 1;
      if (len == 1) {
        return false;
      }
    }
    if (s[i] == '0') {
      return len == 1;
    }
    long value = 0; // accumulated as a negative number so that Long.MIN_VALUE fits
    for (; i < len; i++) {
      int digit = s[i] - '0';
      if (digit < 0 || digit > 9) {
        return false;
      }
      if (value < (Long.MIN_VALUE + digit) / 10 || value * 10 < Long.MIN_VALUE + digit) {
        return false;
      }
      value = value * 10 - digit;
    }
    return negative || value != Long.MIN_VALUE;
  }

  /** The value of a string {@link #isCanonicalLong} accepted. */
  static long parse(byte[] s) {
    return Long.parseLong(new String(s, StandardCharsets.ISO_8859_1));
  }

  static byte[] toBytes(long value) {
    return Long.toString(value).getBytes(StandardCharsets.ISO_8859_1);
  }
}
