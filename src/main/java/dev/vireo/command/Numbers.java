package dev.vireo.command;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Strict number parsing as Redis does it (string2ll, string2ld) and the formatting of INCRBYFLOAT results. */
public final class Numbers {
  private Numbers() {}

  /** Returned by {@link #parseLong} for text that is not a canonical 64-bit integer. */
  public static final long INVALID = Long.MIN_VALUE;
  private static final byte[] MIN_TEXT = Long.toString(Long.MIN_VALUE).getBytes();

  /**
   * Parses a canonical signed 64-bit decimal as Redis's string2ll does: no '+', no leading zeros, no spaces, in
   * range. Returns {@link #INVALID} otherwise; {@link #parseLongOrThrow} tells that apart from Long.MIN_VALUE.
   */
  public static long parseLong(byte[] b, int off, int len) {
    if (len == 0 || len > 20) return INVALID;
    int i = off;
    int end = off + len;
    if (len == 1 && b[i] == '0') return 0;
    boolean neg = false;
    if (b[i] == '-') {
      neg = true;
      if (++i == end) return INVALID;
    }
    if (b[i] < '1' || b[i] > '9') return INVALID;
    long v = 0;
    for (; i < end; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) return INVALID;
      if (v < (Long.MIN_VALUE + d) / 10) return INVALID; // accumulate negatively so that MIN_VALUE parses
      v = v * 10 - d;
    }
    if (!neg) {
      if (v == Long.MIN_VALUE) return INVALID;
      v = -v;
    }
    return v;
  }

  public static boolean isLong(byte[] b, int off, int len) {
    return parseLong(b, off, len) != INVALID
        || java.util.Arrays.equals(b, off, off + len, MIN_TEXT, 0, MIN_TEXT.length);
  }

  public static long parseLongOrThrow(byte[] b, int off, int len, String error) {
    long v = parseLong(b, off, len);
    if (v == INVALID && !isLong(b, off, len)) throw new CommandError(error);
    return v;
  }

  public static long parseLongOrThrow(byte[] b, String error) {
    return parseLongOrThrow(b, 0, b.length, error);
  }

  /** Parses a long double the way Redis's string2ld accepts it; returns null when it is not one. */
  public static BigDecimal parseDecimal(byte[] b, int off, int len) {
    if (len == 0 || len > 5000) return null;
    String s = new String(b, off, len, java.nio.charset.StandardCharsets.ISO_8859_1);
    if (Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(s.length() - 1))) return null;
    try {
      return new BigDecimal(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** True when the text is a float strtold would read as infinite ("inf", "-infinity", ...). */
  public static boolean isInfinity(byte[] b, int off, int len) {
    String s = new String(b, off, len, java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase();
    if (s.startsWith("+") || s.startsWith("-")) s = s.substring(1);
    return s.equals("inf") || s.equals("infinity");
  }

  /** INCRBYFLOAT's output: fixed notation with at most 17 decimals, trailing zeros trimmed (like "%.17Lf"). */
  public static String formatDecimal(BigDecimal v) {
    BigDecimal r = v.setScale(17, RoundingMode.HALF_EVEN).stripTrailingZeros();
    if (r.signum() == 0) return "0";
    return r.toPlainString();
  }

  /** Long doubles overflow past ~1.19e4932; Redis answers such a result as NaN or Infinity. */
  public static boolean overflowsLongDouble(BigDecimal v) {
    return v.precision() - v.scale() > 4932;
  }
}
