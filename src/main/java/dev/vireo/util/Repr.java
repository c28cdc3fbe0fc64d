package dev.vireo.util;

/** Quotes a byte string the way Redis prints it in MONITOR and redis-cli: "\x00", "\n", "\"" escaped. */
public final class Repr {
  private Repr() {}

  public static void append(StringBuilder sb, byte[] b, int off, int len) {
    sb.append('"');
    for (int i = off; i < off + len; i++) {
      int c = b[i] & 0xff;
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case 7 -> sb.append("\\a");
        case '\b' -> sb.append("\\b");
        default -> {
          if (c >= 32 && c < 127) sb.append((char) c);
          else sb.append(String.format("\\x%02x", c));
        }
      }
    }
    sb.append('"');
  }
}
