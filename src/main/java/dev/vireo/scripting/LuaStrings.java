package dev.vireo.scripting;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import party.iroiro.luajava.Lua;

/**
 * Lua strings are bytes; the JNI binding passes Java strings as (modified) UTF-8. ASCII without NUL goes through
 * unchanged; anything else is pushed as the constant of a tiny precompiled Lua 5.1 chunk that returns it, so
 * every byte arrives as sent. Reading goes through the binding's byte buffers. Script thread only.
 */
final class LuaStrings {
  private LuaStrings() {}

  /** Pushes {@code b} as a Lua string, byte for byte. */
  static void push(Lua L, byte[] b) {
    if (plain(b)) {
      L.push(new String(b, StandardCharsets.ISO_8859_1));
      return;
    }
    ByteBuffer chunk = ByteBuffer.allocateDirect(HEADER.length + 64 + b.length);
    chunk.put(HEADER);
    putInt(chunk, 0); // linedefined
    putInt(chunk, 0); // lastlinedefined
    chunk.put((byte) 0).put((byte) 0).put((byte) 2).put((byte) 2); // nups, numparams, is_vararg, maxstacksize
    putInt(chunk, 2); // code: LOADK 0 0; RETURN 0 2
    putInt(chunk, 1);
    putInt(chunk, 30 | (2 << 23));
    putInt(chunk, 1); // one constant, the string
    chunk.put((byte) 4);
    putLong(chunk, b.length + 1);
    chunk.put(b).put((byte) 0);
    putInt(chunk, 0); // no prototypes
    putInt(chunk, 0); // no line info, locals or upvalue names
    putInt(chunk, 0);
    putInt(chunk, 0);
    chunk.flip();
    L.load(chunk, "=bytes");
    L.pCall(0, 1);
  }

  /** The Lua 5.1 header for this platform (little-endian, 4-byte int, 8-byte size_t, double numbers). */
  private static final byte[] HEADER = {
    0x1b, 'L', 'u', 'a', 0x51, 0, 1, 4, 8, 4, 8, 0,
    0, 0, 0, 0, 0, 0, 0, 0 // source name: none (size_t 0)
  };

  private static void putInt(ByteBuffer b, int v) {
    b.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16)).put((byte) (v >> 24));
  }

  private static void putLong(ByteBuffer b, long v) {
    for (int i = 0; i < 8; i++) b.put((byte) (v >> (8 * i)));
  }

  private static boolean plain(byte[] b) {
    for (byte x : b) if (x <= 0) return false; // NUL and bytes >= 0x80
    return true;
  }

  /** The bytes of the string (or number, as Lua formats it) at {@code idx}. */
  static byte[] bytes(Lua L, int idx) {
    ByteBuffer buf = L.toDirectBuffer(idx); // a view of Lua's own bytes, copied at once
    if (buf == null) return new byte[0];
    byte[] r = new byte[buf.remaining()];
    buf.get(r);
    return r;
  }

  static String string(Lua L, int idx) {
    return new String(bytes(L, idx), StandardCharsets.ISO_8859_1);
  }

  /** C's {@code %.17g}, which Redis uses to pass a Lua number to a command. */
  static String g17(double d) {
    if (Double.isNaN(d)) return Double.doubleToRawLongBits(d) < 0 ? "-nan" : "nan";
    if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
    if (d == 0) return (1 / d < 0) ? "-0" : "0";
    BigDecimal v = new BigDecimal(d).round(new MathContext(17, RoundingMode.HALF_EVEN));
    int exp = v.precision() - v.scale() - 1;
    if (exp < -4 || exp >= 17) {
      BigDecimal m = v.movePointLeft(exp).stripTrailingZeros();
      String ms = m.toPlainString();
      String es = Integer.toString(Math.abs(exp));
      if (es.length() < 2) es = "0" + es;
      return ms + "e" + (exp < 0 ? "-" : "+") + es;
    }
    String s = v.stripTrailingZeros().toPlainString();
    return s;
  }

  /** Redis's (long long) cast of a Lua number: out of range and NaN give LLONG_MIN, as on x86-64. */
  static long toLong(double d) {
    if (Double.isNaN(d) || d >= 9.223372036854775807E18 || d < -9.223372036854775808E18) return Long.MIN_VALUE;
    return (long) d;
  }
}
