package dev.vireo.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigTokenizerTest {
  @Test
  void whitespaceSeparates() {
    assertEquals(List.of("port", "6379"), ConfigTokenizer.split("port 6379"));
    assertEquals(List.of("save", "900", "1"), ConfigTokenizer.split("  save\t900   1 \r"));
    assertEquals(List.of(), ConfigTokenizer.split("   "));
    assertEquals(List.of(), ConfigTokenizer.split(""));
  }

  @Test
  void doubleQuotesAndEscapes() {
    assertEquals(List.of("logfile", ""), ConfigTokenizer.split("logfile \"\""));
    assertEquals(List.of("a b"), ConfigTokenizer.split("\"a b\""));
    assertEquals(List.of("x\n\r\t\b\u0007\\\"y"), ConfigTokenizer.split("\"x\\n\\r\\t\\b\\a\\\\\\\"y\""));
    assertEquals(List.of("AB"), ConfigTokenizer.split("\"\\x41\\x42\""));
    assertEquals(List.of("\u00e9"), ConfigTokenizer.split("\"\\xc3\\xa9\""), "hex escapes are bytes");
    assertEquals(List.of("xq"), ConfigTokenizer.split("\"\\xq\""), "not hex: the escaped char itself");
    assertEquals(List.of("z"), ConfigTokenizer.split("\"\\z\""));
  }

  @Test
  void quotesInsideAWord() {
    assertEquals(List.of("ab c"), ConfigTokenizer.split("a\"b c\""));
  }

  @Test
  void singleQuotes() {
    assertEquals(List.of("it's", "x"), ConfigTokenizer.split("'it\\'s' x"));
    assertEquals(List.of("a\\nb"), ConfigTokenizer.split("'a\\nb'"), "no escapes but \\' in single quotes");
    assertEquals(List.of("say \"hi\""), ConfigTokenizer.split("'say \"hi\"'"));
  }

  @Test
  void unbalancedOrGlued() {
    assertNull(ConfigTokenizer.split("requirepass \"abc"));
    assertNull(ConfigTokenizer.split("x 'abc"));
    assertNull(ConfigTokenizer.split("\"abc\"def"), "closing quote must be followed by space");
    assertNull(ConfigTokenizer.split("'abc'def"));
    assertNull(ConfigTokenizer.split("\"abc\\\""), "escaped quote does not close");
  }

  @Test
  void quoteRoundTrips() {
    for (String s : List.of("", "plain", "a b", "q\"uote", "back\\slash", "nl\nx", "\u00e9t\u00e9", "tab\there", "'")) {
      assertEquals(List.of(s), ConfigTokenizer.split(ConfigTokenizer.quote(s)), s);
      assertEquals(List.of(s), ConfigTokenizer.split(ConfigTokenizer.quoteIfNeeded(s)), s);
    }
    assertEquals("\"a\\nb\\x01\"", ConfigTokenizer.quote("a\nb\u0001"));
    assertEquals("plain", ConfigTokenizer.quoteIfNeeded("plain"));
  }
}
