package dev.vireo.util;

/** Placeholder glob until the full matcher lands. */
public final class Glob {
  private Glob() {}

  public static boolean match(byte[] p, int poff, int plen, byte[] s, int soff, int slen, boolean nocase) {
    return match(new String(p, poff, plen, java.nio.charset.StandardCharsets.ISO_8859_1),
        new String(s, soff, slen, java.nio.charset.StandardCharsets.ISO_8859_1), nocase);
  }

  public static boolean match(String pattern, String str, boolean nocase) {
    if (pattern.equals("*")) return true;
    return pattern.equals(str);
  }
}
