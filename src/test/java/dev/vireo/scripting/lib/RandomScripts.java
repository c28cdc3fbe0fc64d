package dev.vireo.scripting.lib;

import java.util.Random;

/**
 * Seeded random case bodies for the libraries: Lua values written as literals (numbers at every encoding
 * boundary, binary strings, nested tables with holes and mixed keys) put through cmsgpack and cjson round trips,
 * mutated msgpack bytes and JSON texts, bit operations on awkward doubles, struct formats with matching values.
 */
final class RandomScripts {
  private static final double[] BOUNDARIES = {0, 1, 15, 16, 31, 32, 127, 128, 255, 256, 32767, 32768, 65535, 65536,
      2147483647, 2147483648.0, 4294967295.0, 4294967296.0, 0x1p52, 0x1p53, 0x1p62, 0x1p63, 0x1p64};
  private static final String[] STRUCT_INTS = {"b", "B", "h", "H", "i", "I", "l", "L", "T", "i1", "i2", "i3", "i4",
      "i5", "i6", "i7", "i8", "I1", "I2", "I3", "I5", "I8"};

  private static final String SPECIAL = "\"\\/\b\f\n\r\t\u0000\u0001\u001f\u007fx";

  private final Random rnd;

  RandomScripts(long seed) {
    this.rnd = new Random(seed);
  }

  /** The body of one case of the given kind (0..5). */
  String body(int kind) {
    return switch (kind) {
      case 0 -> "local p = cmsgpack.pack(" + value(0) + ")\nreturn __hex(p), cmsgpack.unpack(p)";
      case 1 -> "local p = cmsgpack.pack(" + value(1) + ", " + value(1) + ", " + value(2) + ")\n"
          + "local i = " + rnd.nextInt(1000) + " % #p + 1\n"
          + (rnd.nextBoolean()
              ? "p = p:sub(1, i - 1) .. string.char(" + rnd.nextInt(256) + ") .. p:sub(i + 1)\n"
              : "p = p:sub(1, i - 1)\n")
          + "return __hex(p), cmsgpack.unpack(p)";
      case 2 -> "local v = " + value(0) + "\nlocal j = cjson.encode(v)\nreturn j, cjson.decode(j), cjson.encode(cjson.decode(j))";
      case 3 -> "return cjson.decode(" + stringLiteral(json(0, rnd.nextInt(4) == 0)) + ")";
      case 4 -> bitCase();
      default -> structCase();
    };
  }

  String value(int depth) {
    int pick = rnd.nextInt(depth >= 3 ? 4 : 8);
    return switch (pick) {
      case 0 -> numberLiteral(boundaryNumber());
      case 1 -> numberLiteral(anyNumber());
      case 2 -> stringLiteral(bytes());
      case 3 -> rnd.nextInt(5) == 0 ? "cjson.null" : Boolean.toString(rnd.nextBoolean());
      case 4, 5 -> array(depth);
      default -> map(depth);
    };
  }

  private String array(int depth) {
    int n = rnd.nextInt(6) == 0 ? 15 + rnd.nextInt(3) : rnd.nextInt(6);
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < n; i++) {
      if (i > 0) sb.append(", ");
      sb.append(rnd.nextInt(12) == 0 ? "nil" : value(depth + 1));
    }
    return sb.append('}').toString();
  }

  private String map(int depth) {
    int n = rnd.nextInt(6) == 0 ? 15 + rnd.nextInt(3) : rnd.nextInt(7);
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < n; i++) {
      if (i > 0) sb.append(", ");
      String key = switch (rnd.nextInt(5)) {
        case 0 -> numberLiteral(1 + rnd.nextInt(30));
        case 1 -> numberLiteral(rnd.nextInt(7) - 3 + rnd.nextInt(2) * 0.5);
        default -> stringLiteral(key());
      };
      sb.append('[').append(key).append("] = ").append(value(depth + 1));
    }
    return sb.append('}').toString();
  }

  private byte[] key() {
    String letters = "abcdefghijklmnopqrstuvwxyz";
    byte[] b = new byte[1 + rnd.nextInt(8)];
    for (int i = 0; i < b.length; i++) b[i] = (byte) letters.charAt(rnd.nextInt(letters.length()));
    return b;
  }

  private double boundaryNumber() {
    double b = BOUNDARIES[rnd.nextInt(BOUNDARIES.length)];
    double d = b + (rnd.nextInt(5) - 2) * (b >= 0x1p53 ? 2048 : 1);
    return rnd.nextBoolean() ? -d : d;
  }

  private double anyNumber() {
    switch (rnd.nextInt(5)) {
      case 0:
        return rnd.nextInt(2001) - 1000;
      case 1:
        return (rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(40) - 20);
      case 2:
        return (float) ((rnd.nextDouble() - 0.5) * Math.pow(2, rnd.nextInt(60) - 30));
      case 3:
        return rnd.nextInt(1000) / 8.0;
      default:
        double d;
        do {
          d = Double.longBitsToDouble(rnd.nextLong());
        } while (Double.isNaN(d) || Double.isInfinite(d));
        return d;
    }
  }

  private byte[] bytes() {
    int len = switch (rnd.nextInt(8)) {
      case 0 -> 31 + rnd.nextInt(3);
      case 1 -> 255 + rnd.nextInt(3);
      default -> rnd.nextInt(12);
    };
    byte[] b = new byte[len];
    int alphabet = rnd.nextInt(4);
    for (int i = 0; i < len; i++) {
      b[i] = switch (alphabet) {
        case 0 -> (byte) ('a' + rnd.nextInt(26));
        case 1 -> (byte) rnd.nextInt(256);
        case 2 -> (byte) (rnd.nextInt(3) == 0 ? 0xC3 : 0x20 + rnd.nextInt(0x60));
        default -> (byte) SPECIAL.charAt(rnd.nextInt(SPECIAL.length()));
      };
    }
    return b;
  }

  /** A JSON text, valid or (when broken) with one byte changed, dropped or added. */
  private byte[] json(int depth, boolean broken) {
    StringBuilder sb = new StringBuilder();
    jsonValue(sb, depth);
    byte[] text = sb.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    if (!broken || text.length == 0) return text;
    int at = rnd.nextInt(text.length);
    String junk = "[]{},:\"\\-+.e0x \u0000tnf";
    byte[] out;
    switch (rnd.nextInt(3)) {
      case 0:
        text[at] = (byte) junk.charAt(rnd.nextInt(junk.length()));
        return text;
      case 1:
        out = new byte[text.length - 1];
        System.arraycopy(text, 0, out, 0, at);
        System.arraycopy(text, at + 1, out, at, text.length - at - 1);
        return out;
      default:
        out = new byte[text.length + 1];
        System.arraycopy(text, 0, out, 0, at);
        out[at] = (byte) junk.charAt(rnd.nextInt(junk.length()));
        System.arraycopy(text, at, out, at + 1, text.length - at);
        return out;
    }
  }

  private void jsonValue(StringBuilder sb, int depth) {
    String ws = rnd.nextInt(4) == 0 ? " \t\n\r".substring(rnd.nextInt(4)) : "";
    sb.append(ws);
    switch (rnd.nextInt(depth >= 3 ? 4 : 6)) {
      case 0 -> sb.append(new String[] {"0", "-0", "1.5e3", "-12.25", "1e400", "3.14159265358979",
          "123456789012345678", "0.1", "2E-3", "1E+2", "-9007199254740993"}[rnd.nextInt(11)]);
      case 1 -> sb.append('"').append(new String[] {"", "abc", "\\u00e9\\u20ac", "\\ud83d\\ude00", "\\n\\t\\\\\\/\\\"",
          "\\u0000x", "caf\u00c3\u00a9", "a b"}[rnd.nextInt(8)]).append('"');
      case 2 -> sb.append(new String[] {"true", "false", "null"}[rnd.nextInt(3)]);
      case 3 -> sb.append(rnd.nextInt(100));
      case 4 -> {
        sb.append('[');
        int n = rnd.nextInt(5);
        for (int i = 0; i < n; i++) {
          if (i > 0) sb.append(',');
          jsonValue(sb, depth + 1);
        }
        sb.append(']');
      }
      default -> {
        sb.append('{');
        int n = rnd.nextInt(5);
        for (int i = 0; i < n; i++) {
          if (i > 0) sb.append(',');
          sb.append('"').append((char) ('a' + rnd.nextInt(6))).append("\":");
          jsonValue(sb, depth + 1);
        }
        sb.append('}');
      }
    }
    sb.append(ws);
  }

  private String bitCase() {
    String[] unary = {"tobit", "bnot", "bswap", "tohex"};
    String[] binary = {"band", "bor", "bxor", "lshift", "rshift", "arshift", "rol", "ror", "tohex"};
    StringBuilder sb = new StringBuilder("return ");
    for (int i = 0; i < 8; i++) {
      if (i > 0) sb.append(", ");
      if (rnd.nextBoolean()) {
        sb.append("bit.").append(unary[rnd.nextInt(unary.length)]).append('(').append(bitNumber()).append(')');
      } else {
        String op = binary[rnd.nextInt(binary.length)];
        sb.append("bit.").append(op).append('(').append(bitNumber()).append(", ").append(bitNumber());
        if (op.startsWith("b") && rnd.nextBoolean()) sb.append(", ").append(bitNumber());
        sb.append(')');
      }
    }
    return sb.toString();
  }

  private String bitNumber() {
    return switch (rnd.nextInt(4)) {
      case 0 -> numberLiteral(boundaryNumber());
      case 1 -> numberLiteral(anyNumber());
      case 2 -> numberLiteral(rnd.nextInt(40) - 5);
      default -> numberLiteral((rnd.nextLong() >> rnd.nextInt(40)) + rnd.nextInt(3) * 0.5);
    };
  }

  private String structCase() {
    StringBuilder fmt = new StringBuilder();
    StringBuilder args = new StringBuilder();
    int n = 1 + rnd.nextInt(6);
    for (int i = 0; i < n; i++) {
      switch (rnd.nextInt(12)) {
        case 0 -> fmt.append(new String[] {">", "<", "!", "!1", "!2", "!4", "!8", " "}[rnd.nextInt(8)]);
        case 1 -> {
          fmt.append('f');
          args.append(", ").append(numberLiteral(anyNumber()));
        }
        case 2 -> {
          fmt.append('d');
          args.append(", ").append(numberLiteral(anyNumber()));
        }
        case 3 -> {
          int len = rnd.nextInt(5);
          fmt.append('c').append(len);
          args.append(", ").append(stringLiteral(bytesOfLength(len + rnd.nextInt(3))));
        }
        case 4 -> {
          fmt.append('s');
          args.append(", ").append(stringLiteral(key()));
        }
        case 5 -> fmt.append('x');
        default -> {
          String opt = STRUCT_INTS[rnd.nextInt(STRUCT_INTS.length)];
          fmt.append(opt);
          args.append(", ").append(numberLiteral(structNumber(opt)));
        }
      }
    }
    String f = stringLiteral(fmt.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    return "local p = struct.pack(" + f + args + ")\n"
        + "return __hex(p), pcall(struct.size, " + f + "), struct.unpack(" + f + ", p)";
  }

  private double structNumber(String opt) {
    int size = switch (opt.charAt(0)) {
      case 'b', 'B' -> 1;
      case 'h', 'H' -> 2;
      case 'l', 'L', 'T' -> 8;
      default -> opt.length() > 1 ? opt.charAt(1) - '0' : 4;
    };
    double range = Math.pow(2, size * 8);
    if (rnd.nextInt(4) == 0) return boundaryNumber();
    double d = Math.floor(rnd.nextDouble() * range);
    if (Character.isLowerCase(opt.charAt(0))) d -= range / 2;
    return d;
  }

  private byte[] bytesOfLength(int len) {
    byte[] b = new byte[len];
    for (int i = 0; i < len; i++) b[i] = (byte) rnd.nextInt(256);
    return b;
  }

  static String numberLiteral(double d) {
    if (d == 0 && 1 / d < 0) return "(-0)";
    String s = (d == Math.rint(d) && Math.abs(d) < 1e18) ? Long.toString((long) d) : Double.toString(d);
    return "(" + s + ")";
  }

  static String stringLiteral(byte[] bytes) {
    StringBuilder sb = new StringBuilder("\"");
    for (byte b : bytes) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ') {
        sb.append((char) c);
      } else {
        // Three digits always: a digit after a shorter escape would be read as part of it.
        sb.append(String.format("\\%03d", c));
      }
    }
    return sb.append('"').toString();
  }
}
