package dev.vireo.resp;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
        || Arrays.equals(b, off, off + len, MIN_TEXT, 0, MIN_TEXT.length);
  }

  public static long parseLongOrThrow(byte[] b, int off, int len, String error) {
    long v = parseLong(b, off, len);
    if (v == INVALID && !isLong(b, off, len)) throw new CommandError(error);
    return v;
  }

  public static long parseLongOrThrow(byte[] b, String error) {
    return parseLongOrThrow(b, 0, b.length, error);
  }

  /**
   * Parses a long double the way Redis's string2ld accepts it (C's strtold on the whole argument): decimal or
   * hexadecimal ({@code 0x1.8p3}), optional sign, no surrounding space. The result is rounded to the 64-bit
   * mantissa of an x87 long double. Returns null when it is not a number, is NaN, or overflows/underflows, and
   * {@link #POSITIVE_INFINITY} or {@link #NEGATIVE_INFINITY} for the infinities strtold reads.
   */
  public static BigDecimal parseDecimal(byte[] b, int off, int len) {
    if (len == 0 || len > 5000) return null;
    String s = new String(b, off, len, StandardCharsets.ISO_8859_1);
    if (Character.isWhitespace(s.charAt(0))) return null;
    if (isInfinity(b, off, len)) return s.charAt(0) == '-' ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
    BigDecimal exact = parseHex(s);
    if (exact == null) {
      if (!s.matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) return null;
      try {
        exact = new BigDecimal(s);
      } catch (NumberFormatException | ArithmeticException e) {
        return null;
      }
    }
    if (exact.signum() == 0) return BigDecimal.ZERO;
    // far past a long double's range (about 1e±4951) either way: strtold's ERANGE, without the arithmetic
    long magnitude = (long) exact.precision() - exact.scale();
    if (magnitude > 6000 || magnitude < -6000) return null;
    BigDecimal v = roundToLongDouble(exact);
    return v == null || v.signum() == 0 ? null : v;
  }

  /** True for the infinity markers {@link #parseDecimal} returns. */
  public static boolean isInfinite(BigDecimal v) {
    return v == POSITIVE_INFINITY || v == NEGATIVE_INFINITY;
  }

  /** Marker values for the infinities (compared by identity). */
  public static final BigDecimal POSITIVE_INFINITY = new BigDecimal("1E+99999");
  public static final BigDecimal NEGATIVE_INFINITY = new BigDecimal("-1E+99999");

  private static BigDecimal parseHex(String s) {
    Matcher m = Pattern
        .compile("([+-]?)0[xX]([0-9a-fA-F]*)(?:\\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]+))?").matcher(s);
    if (!m.matches()) return null;
    String whole = m.group(2);
    String frac = m.group(3) == null ? "" : m.group(3);
    if (whole.isEmpty() && frac.isEmpty()) return null;
    BigInteger mant = new BigInteger((whole + frac).isEmpty() ? "0" : whole + frac, 16);
    long exp = -4L * frac.length();
    if (m.group(4) != null) {
      try {
        exp += Long.parseLong(m.group(4));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    if (exp > 20000 || exp < -20000) return mant.signum() == 0 ? BigDecimal.ZERO : null;
    BigDecimal v = times2(new BigDecimal(mant), (int) exp);
    return m.group(1).equals("-") ? v.negate() : v;
  }

  /** v * 2^e, exactly. */
  private static BigDecimal times2(BigDecimal v, int e) {
    if (e >= 0) return v.multiply(new BigDecimal(BigInteger.TWO.pow(e)));
    // 2^-k = 5^k / 10^k
    return v.multiply(new BigDecimal(BigInteger.valueOf(5).pow(-e))).movePointLeft(-e);
  }

  /**
   * Rounds an exact value to the nearest x87 long double (64-bit mantissa, ties to even). Returns null on
   * overflow and zero when the value is below the smallest normal long double.
   */
  public static BigDecimal roundToLongDouble(BigDecimal exact) {
    if (exact.signum() == 0) return BigDecimal.ZERO;
    BigDecimal abs = exact.abs();
    // floor(log2(abs)) estimated from the digits, then corrected.
    BigInteger u = abs.unscaledValue();
    double log2 = u.bitLength() - 1 - abs.scale() * (Math.log(10) / Math.log(2));
    int e = (int) Math.floor(log2) - 63;
    BigDecimal low = BigDecimal.valueOf(2).pow(63);
    BigDecimal high = BigDecimal.valueOf(2).pow(64);
    BigDecimal q = times2(abs, -e);
    for (int guard = 0; guard < 200 && (q.compareTo(low) < 0 || q.compareTo(high) >= 0); guard++) {
      if (q.compareTo(low) < 0) e--;
      else e++;
      q = times2(abs, -e);
    }
    BigInteger m = q.setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact();
    if (m.bitLength() > 64) {
      m = m.shiftRight(1);
      e++;
    }
    int binaryExponent = e + 63;
    if (binaryExponent > 16383) return null;
    if (binaryExponent < -16382) return BigDecimal.ZERO;
    BigDecimal r = times2(new BigDecimal(m), e);
    return exact.signum() < 0 ? r.negate() : r;
  }

  /** True when the text is a float strtold would read as infinite ("inf", "-infinity", ...). */
  public static boolean isInfinity(byte[] b, int off, int len) {
    String s = new String(b, off, len, StandardCharsets.ISO_8859_1).toLowerCase();
    if (s.startsWith("+") || s.startsWith("-")) s = s.substring(1);
    return s.equals("inf") || s.equals("infinity");
  }

  /** INCRBYFLOAT's output: fixed notation with at most 17 decimals, trailing zeros trimmed (like "%.17Lf"). */
  public static String formatDecimal(BigDecimal v) {
    // v is the exact value of a long double: printf("%.17Lf") rounds that exact binary value.
    BigDecimal r = v.setScale(17, RoundingMode.HALF_EVEN).stripTrailingZeros();
    if (r.signum() == 0) return "0";
    return r.toPlainString();
  }
}
