package dev.vireo.util;

import java.nio.charset.StandardCharsets;

/**
 * Redis-style glob matching over bytes, as used by KEYS, SCAN MATCH, CONFIG GET and PSUBSCRIBE.
 *
 * <p>Syntax: {@code *} any run of bytes, {@code ?} any one byte, {@code [abc]} a set, {@code [^abc]} its
 * complement, {@code [a-z]} a range (ends may come in either order), {@code \x} the byte {@code x} itself. A set
 * left open runs to the end of the pattern. With {@code nocase}, ASCII letters compare case-insensitively.
 *
 * <p>Every token other than {@code *} consumes exactly one byte, so remembering only the most recent star and
 * retrying from one byte further on is enough: an earlier star can never help once a later one has been
 * reached. That bounds the work to O(pattern x subject) with no recursion, whatever the pattern looks like.
 */
public final class Glob {
  private Glob() {}

  public static boolean match(String pattern, String str, boolean nocase) {
    byte[] p = pattern.getBytes(StandardCharsets.UTF_8);
    byte[] s = str.getBytes(StandardCharsets.UTF_8);
    return match(p, 0, p.length, s, 0, s.length, nocase);
  }

  public static boolean match(byte[] pattern, byte[] str, boolean nocase) {
    return match(pattern, 0, pattern.length, str, 0, str.length, nocase);
  }

  public static boolean match(byte[] pattern, int poff, int plen, byte[] str, int soff, int slen, boolean nocase) {
    final int pend = poff + plen;
    final int send = soff + slen;
    int p = poff;
    int s = soff;
    int starP = -1; // pattern position just after the last star seen
    int starS = -1; // subject position that star's match currently ends at
    while (s < send) {
      if (p < pend && pattern[p] == '*') {
        while (p < pend && pattern[p] == '*') p++;
        if (p == pend) return true;
        starP = p;
        starS = s;
        continue;
      }
      if (p < pend) {
        int next = matchOne(pattern, p, pend, str[s], nocase);
        if (next >= 0) {
          p = next;
          s++;
          continue;
        }
      }
      if (starP < 0) return false;
      s = ++starS;
      p = starP;
    }
    while (p < pend && pattern[p] == '*') p++;
    return p == pend;
  }

  /** Matches the single-byte token at {@code p} against {@code c}; the position after the token, or -1. */
  private static int matchOne(byte[] pat, int p, int pend, byte c, boolean nocase) {
    byte t = pat[p];
    if (t == '?') return p + 1;
    if (t == '[') return matchSet(pat, p + 1, pend, c, nocase);
    if (t == '\\' && p + 1 < pend) {
      p++;
      t = pat[p];
    }
    return same(t, c, nocase) ? p + 1 : -1;
  }

  private static int matchSet(byte[] pat, int p, int pend, byte c, boolean nocase) {
    boolean negate = p < pend && pat[p] == '^';
    if (negate) p++;
    boolean hit = false;
    int uc = c & 0xff;
    while (p < pend && pat[p] != ']') {
      if (pat[p] == '\\' && p + 1 < pend) {
        p++;
        if (pat[p] == c) hit = true;
        p++;
      } else if (p + 2 < pend && pat[p + 1] == '-') {
        int lo = pat[p] & 0xff;
        int hi = pat[p + 2] & 0xff;
        if (lo > hi) {
          int x = lo;
          lo = hi;
          hi = x;
        }
        int v = uc;
        if (nocase) {
          lo = lower(lo);
          hi = lower(hi);
          v = lower(v);
        }
        if (v >= lo && v <= hi) hit = true;
        p += 3;
      } else {
        if (same(pat[p], c, nocase)) hit = true;
        p++;
      }
    }
    if (p < pend) p++; // the closing ']'; an open set simply ends with the pattern
    if (negate) hit = !hit;
    return hit ? p : -1;
  }

  private static boolean same(byte a, byte b, boolean nocase) {
    if (a == b) return true;
    return nocase && lower(a & 0xff) == lower(b & 0xff);
  }

  private static int lower(int c) {
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
  }
}
