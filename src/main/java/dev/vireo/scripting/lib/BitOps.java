package dev.vireo.scripting.lib;

/**
 * LuaBitOp 1.0.2 on Lua 5.1 doubles: an argument becomes 32 bits by adding 2^52+2^51 and keeping the low word of
 * the sum's bit pattern (so fractions round to even and numbers wrap modulo 2^32); results are signed 32-bit.
 */
final class BitOps {
  static final int AND = 1;
  static final int OR = 2;
  static final int XOR = 3;
  static final int LSHIFT = 4;
  static final int RSHIFT = 5;
  static final int ARSHIFT = 6;
  static final int ROL = 7;
  static final int ROR = 8;
  static final int TOBIT = 9;
  static final int BNOT = 10;
  static final int BSWAP = 11;

  private BitOps() {}

  static int toBits(double n) {
    return (int) Double.doubleToRawLongBits(n + 6755399441055744.0);
  }

  static double apply(int op, double a, double b) {
    int x = toBits(a);
    int y = toBits(b);
    int r = switch (op) {
      case AND -> x & y;
      case OR -> x | y;
      case XOR -> x ^ y;
      case LSHIFT -> x << (y & 31);
      case RSHIFT -> x >>> (y & 31);
      case ARSHIFT -> x >> (y & 31);
      case ROL -> Integer.rotateLeft(x, y & 31);
      case ROR -> Integer.rotateRight(x, y & 31);
      case TOBIT -> x;
      case BNOT -> ~x;
      case BSWAP -> Integer.reverseBytes(x);
      default -> throw new IllegalArgumentException("bit operation " + op);
    };
    return r;
  }

  /** bit.tohex: the low |n| hex digits (at most 8), upper case when n is negative. */
  static String toHex(double value, double digits) {
    int b = toBits(value);
    int n = toBits(digits);
    String hexdigits = "0123456789abcdef";
    if (n < 0) {
      n = -n;
      hexdigits = "0123456789ABCDEF";
    }
    // -INT_MIN overflows in C; the compiled code then takes the n > 8 branch, as if n were positive.
    if (n > 8 || n == Integer.MIN_VALUE) {
      n = 8;
    }
    if (n <= 0) {
      return "";
    }
    char[] buf = new char[n];
    for (int i = n - 1; i >= 0; i--) {
      buf[i] = hexdigits.charAt(b & 15);
      b >>>= 4;
    }
    return new String(buf);
  }
}
