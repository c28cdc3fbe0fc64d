package dev.vireo.util;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats doubles the way Redis 7.0 prints them in replies: C's {@code "%.17g"} (17 significant digits, trailing
 * zeros dropped, scientific notation below 1e-4 and from 1e17), plus {@code inf}, {@code -inf} and {@code nan}.
 */
public final class Doubles {
  private static final MathContext SEVENTEEN = new MathContext(17, RoundingMode.HALF_EVEN);

  private Doubles() {}

  public static String format(double d) {
    if (Double.isNaN(d)) return "nan";
    if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
    if (d == 0) return 1 / d < 0 ? "-0" : "0";
    // The exact binary value rounded to 17 significant digits, as printf does.
    BigDecimal v = new BigDecimal(d).round(SEVENTEEN);
    int exp = v.precision() - v.scale() - 1;
    if (exp < -4 || exp >= 17) {
      String mant = stripZeros(v.movePointLeft(exp).toPlainString());
      return mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
    return stripZeros(v.toPlainString());
  }

  private static String stripZeros(String s) {
    if (s.indexOf('.') < 0) return s;
    int end = s.length();
    while (s.charAt(end - 1) == '0') end--;
    if (s.charAt(end - 1) == '.') end--;
    return s.substring(0, end);
  }
}
