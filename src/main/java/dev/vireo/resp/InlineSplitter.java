package dev.vireo.resp;

import java.io.ByteArrayOutputStream;

/**
 * Splits an inline request line into arguments: blanks separate, "double quotes" take \n \r \t \b \a \\ \" and
 * \xHH escapes, 'single quotes' take \'. A quoted argument must be followed by a blank or the end of line.
 */
final class InlineSplitter {
  private InlineSplitter() {}

  static void split(byte[] b, int from, int to, Args out) throws ProtocolException {
    int p = from;
    while (true) {
      while (p < to && isSpace(b[p])) p++;
      if (p >= to) return;
      if (b[p] != '"' && b[p] != '\'') {
        int s = p;
        while (p < to && !isSpace(b[p]) && b[p] != '"' && b[p] != '\'') p++;
        if (p < to && !isSpace(b[p])) { // a quote in the middle of a word starts a quoted part
          ByteArrayOutputStream acc = new ByteArrayOutputStream();
          acc.write(b, s, p - s);
          p = quoted(b, p, to, acc);
          byte[] v = acc.toByteArray();
          out.add(v, 0, v.length);
        } else {
          out.add(b, s, p - s);
        }
      } else {
        ByteArrayOutputStream acc = new ByteArrayOutputStream();
        p = quoted(b, p, to, acc);
        byte[] v = acc.toByteArray();
        out.add(v, 0, v.length);
      }
    }
  }

  /** Reads one quoted run starting at the quote; returns the position after it. */
  private static int quoted(byte[] b, int p, int to, ByteArrayOutputStream acc) throws ProtocolException {
    byte q = b[p++];
    while (true) {
      if (p >= to) throw new ProtocolException("unbalanced quotes in request");
      byte c = b[p];
      if (q == '"' && c == '\\' && p + 3 < to && b[p + 1] == 'x' && hex(b[p + 2]) >= 0 && hex(b[p + 3]) >= 0) {
        acc.write(hex(b[p + 2]) * 16 + hex(b[p + 3]));
        p += 4;
      } else if (q == '"' && c == '\\' && p + 1 < to) {
        byte e = b[p + 1];
        acc.write(switch (e) {
          case 'n' -> '\n';
          case 'r' -> '\r';
          case 't' -> '\t';
          case 'b' -> '\b';
          case 'a' -> 7;
          default -> e;
        });
        p += 2;
      } else if (q == '\'' && c == '\\' && p + 1 < to && b[p + 1] == '\'') {
        acc.write('\'');
        p += 2;
      } else if (c == q) {
        p++;
        if (p < to && !isSpace(b[p])) throw new ProtocolException("unbalanced quotes in request");
        return p;
      } else {
        acc.write(c);
        p++;
      }
    }
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
  }

  private static int hex(byte c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
}
