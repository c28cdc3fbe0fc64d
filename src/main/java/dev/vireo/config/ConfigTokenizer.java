package dev.vireo.config;

import dev.vireo.util.Repr;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a configuration line into arguments and quotes values back, with redis.conf's rules: whitespace
 * separates; {@code "..."} understands {@code \n \r \t \b \a \\ \" \xHH}; {@code '...'} understands only
 * {@code \'}; a closing quote must be followed by whitespace or the end of the line.
 */
final class ConfigTokenizer {
  private ConfigTokenizer() {}

  /** The arguments of {@code line}, or null when its quotes are unbalanced. */
  static List<String> split(String line) {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = b.length;
    while (true) {
      while (i < n && isSpace(b[i])) i++;
      if (i >= n) return out;
      ByteArrayOutputStream cur = new ByteArrayOutputStream();
      boolean inDouble = false;
      boolean inSingle = false;
      boolean done = false;
      while (!done) {
        if (inDouble) {
          if (i >= n) return null;
          byte c = b[i];
          if (c == '\\' && i + 3 < n && b[i + 1] == 'x' && isHex(b[i + 2]) && isHex(b[i + 3])) {
            cur.write(hex(b[i + 2]) * 16 + hex(b[i + 3]));
            i += 3;
          } else if (c == '\\' && i + 1 < n) {
            i++;
            byte e = b[i];
            switch (e) {
              case 'n' -> cur.write('\n');
              case 'r' -> cur.write('\r');
              case 't' -> cur.write('\t');
              case 'b' -> cur.write('\b');
              case 'a' -> cur.write(7);
              default -> cur.write(e);
            }
          } else if (c == '"') {
            if (i + 1 < n && !isSpace(b[i + 1])) return null;
            done = true;
          } else {
            cur.write(c);
          }
        } else if (inSingle) {
          if (i >= n) return null;
          byte c = b[i];
          if (c == '\\' && i + 1 < n && b[i + 1] == '\'') {
            i++;
            cur.write('\'');
          } else if (c == '\'') {
            if (i + 1 < n && !isSpace(b[i + 1])) return null;
            done = true;
          } else {
            cur.write(c);
          }
        } else {
          if (i >= n) break;
          byte c = b[i];
          switch (c) {
            case ' ', '\n', '\r', '\t', 0 -> done = true;
            case '"' -> inDouble = true;
            case '\'' -> inSingle = true;
            default -> cur.write(c);
          }
        }
        if (i < n) i++;
      }
      out.add(cur.toString(StandardCharsets.UTF_8));
    }
  }

  /** {@code value} in double quotes with escapes, so that {@link #split} gives it back as one argument. */
  static String quote(String value) {
    byte[] b = value.getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder(b.length + 2);
    Repr.append(sb, b, 0, b.length);
    return sb.toString();
  }

  /** {@code value} as is when it splits back to itself, else {@link #quote quoted}. */
  static String quoteIfNeeded(String value) {
    if (value.isEmpty()) return "\"\"";
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c >= 0x7f || c == '"' || c == '\'' || c == '\\') return quote(value);
    }
    return value;
  }

  static boolean isSpace(byte c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
  }

  private static boolean isHex(byte c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static int hex(byte c) {
    if (c <= '9') return c - '0';
    return (c | 0x20) - 'a' + 10;
  }
}
