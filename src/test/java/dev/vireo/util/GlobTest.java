package dev.vireo.util;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GlobTest {
  private static boolean m(String p, String s) {
    return Glob.match(p, s, false);
  }

  @Test
  void literalsAndEmpty() {
    assertTrue(m("", ""));
    assertFalse(m("", "a"));
    assertFalse(m("a", ""));
    assertTrue(m("hello", "hello"));
    assertFalse(m("hello", "hell"));
    assertFalse(m("hell", "hello"));
  }

  @Test
  void star() {
    assertTrue(m("*", ""));
    assertTrue(m("*", "anything"));
    assertTrue(m("**", "x"));
    assertTrue(m("h*o", "ho"));
    assertTrue(m("h*o", "hello"));
    assertFalse(m("h*o", "help"));
    assertTrue(m("*llo", "hello"));
    assertTrue(m("he*", "hello"));
    assertTrue(m("*repl*", "repl-backlog-size"));
    assertTrue(m("*repl*", "min-replicas-to-write"));
    assertFalse(m("*repl*", "maxmemory"));
    assertTrue(m("a*b*c", "axxbyyc"));
    assertFalse(m("a*b*c", "axxbyy"));
    assertTrue(m("a*b", "abab"));
  }

  @Test
  void questionMark() {
    assertTrue(m("h?llo", "hello"));
    assertTrue(m("h?llo", "hallo"));
    assertFalse(m("h?llo", "hllo"));
    assertTrue(m("???", "abc"));
    assertFalse(m("???", "ab"));
    assertTrue(m("*?", "a"));
    assertFalse(m("*?", ""));
  }

  @Test
  void sets() {
    assertTrue(m("h[ae]llo", "hello"));
    assertTrue(m("h[ae]llo", "hallo"));
    assertFalse(m("h[ae]llo", "hillo"));
    assertTrue(m("h[^e]llo", "hallo"));
    assertFalse(m("h[^e]llo", "hello"));
    assertTrue(m("h[a-b]llo", "hbllo"));
    assertFalse(m("h[a-b]llo", "hcllo"));
    assertTrue(m("[z-a]", "m"), "reversed range");
    assertTrue(m("[\\]]", "]"), "escaped bracket in a set");
    assertTrue(m("[\\-]", "-"));
    assertFalse(m("[\\-]", "a"));
    assertTrue(m("[abc", "c"), "an open set runs to the end of the pattern");
    assertFalse(m("[abc", "d"));
    assertFalse(m("[]", "a"));
    assertTrue(m("[^]", "a"));
    assertTrue(m("x[0-9][0-9]", "x42"));
  }

  @Test
  void escapes() {
    assertTrue(m("h\\*llo", "h*llo"));
    assertFalse(m("h\\*llo", "hello"));
    assertTrue(m("\\?", "?"));
    assertFalse(m("\\?", "a"));
    assertTrue(m("a\\", "a\\"), "a trailing backslash is itself");
    assertTrue(m("\\[a]", "[a]"));
  }

  @Test
  void nocase() {
    assertTrue(Glob.match("HELLO", "hello", true));
    assertFalse(Glob.match("HELLO", "hello", false));
    assertTrue(Glob.match("h[A-Z]llo", "hello", true));
    assertFalse(Glob.match("h[A-Z]llo", "hello", false));
    assertTrue(Glob.match("MaxMemory*", "maxmemory-policy", true));
    assertTrue(Glob.match("[^A]", "b", true));
    assertFalse(Glob.match("[^A]", "a", true));
  }

  @Test
  void byteSlices() {
    byte[] pat = "xxa*cyy".getBytes(StandardCharsets.US_ASCII);
    byte[] str = "--abbbc--".getBytes(StandardCharsets.US_ASCII);
    assertTrue(Glob.match(pat, 2, 3, str, 2, 5, false));
    assertFalse(Glob.match(pat, 2, 3, str, 2, 4, false));
    assertFalse(Glob.match(pat, 0, 3, str, 2, 5, false));
    byte[] high = {(byte) 0xC3, (byte) 0xA9};
    assertTrue(Glob.match(new byte[] {'?', '?'}, high, false));
    assertTrue(Glob.match(new byte[] {'[', (byte) 0xC3, ']', '*'}, high, false));
  }

  @Test
  void pathologicalPatternsStayLinear() {
    String subject = "a".repeat(20000);
    String pattern = "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b";
    assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
      assertFalse(m(pattern, subject));
      assertTrue(m(pattern, subject + "b"));
      assertFalse(m("*?*?*?*?*?*?*?*?*c", subject));
      assertFalse(m("*[a]*[a]*[a]*[a]*[a]*[a]*[a]*b", subject));
    });
  }
}
