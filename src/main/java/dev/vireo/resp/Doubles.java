package dev.vireo.resp;

import java.math.BigDecimal;

/** Formats doubles the way Redis prints them in replies ("%.17g" with the shortest exact form). */
public final class Doubles {
  private Doubles() {}

  public static String format(double d) {
    if (Double.isNaN(d)) return "nan";
    if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
    if (d == Math.rint(d) && Math.abs(d) < 1e17) {
      return d == 0 && 1 / d < 0 ? "-0" : Long.toString((long) d);
    }
    // Java's shortest round-trip representation equals %.17g after trailing-zero trimming for the common cases.
    String s = Double.toString(d);
    if (s.indexOf('E') >= 0) {
      BigDecimal bd = new BigDecimal(s);
      int exp = bd.precision() - bd.scale() - 1;
      if (exp >= -5 && exp < 17) return bd.toPlainString();
      String mant = bd.movePointLeft(exp).stripTrailingZeros().toPlainString();
      return mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
    return s;
  }
}
