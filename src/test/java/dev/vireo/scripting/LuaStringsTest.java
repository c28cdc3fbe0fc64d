package dev.vireo.scripting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * How a Lua number becomes a command argument (C's {@code %.17g}, as Redis formats it) and a reply integer (C's
 * cast to long long, LLONG_MIN when out of range). Expected strings from C's printf (through Python's {@code %}).
 */
class LuaStringsTest {
  @Test
  void numbersFormatAsCPercent17g() {
    double[] in = {0.1, 1e20, 123456789012345678.0, 1e-5, 100, -0.5, 1.0 / 3, 1e16, Math.pow(2, 63), 1e-320,
        12345.678, 0.0001, 5e-324, 1.5, -0.0, 1e17, 0.00001234, 0};
    String[] out = {"0.10000000000000001", "1e+20", "1.2345678901234568e+17", "1.0000000000000001e-05", "100",
        "-0.5", "0.33333333333333331", "10000000000000000", "9.2233720368547758e+18", "9.9998886718268301e-321",
        "12345.678", "0.0001", "4.9406564584124654e-324", "1.5", "-0", "1e+17", "1.234e-05", "0"};
    for (int i = 0; i < in.length; i++) assertEquals(out[i], LuaStrings.g17(in[i]), "for " + in[i]);
    assertEquals("inf", LuaStrings.g17(Double.POSITIVE_INFINITY));
    assertEquals("-inf", LuaStrings.g17(Double.NEGATIVE_INFINITY));
  }

  @Test
  void numbersTruncateToIntegersAsRedisCastsThem() {
    assertEquals(3, LuaStrings.toLong(3.99));
    assertEquals(-3, LuaStrings.toLong(-3.99));
    assertEquals(Long.MIN_VALUE, LuaStrings.toLong(1e300));
    assertEquals(Long.MIN_VALUE, LuaStrings.toLong(-1e300));
    assertEquals(Long.MIN_VALUE, LuaStrings.toLong(Double.NaN));
    assertEquals(Long.MIN_VALUE, LuaStrings.toLong(Math.pow(2, 63)));
    assertEquals(Long.MIN_VALUE, LuaStrings.toLong(-Math.pow(2, 63)));
    assertEquals(9007199254740992L, LuaStrings.toLong(Math.pow(2, 53)));
  }
}
