package dev.vireo.resp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The request parser on its own: every frame is fed whole, byte by byte and in seeded random splits, and must
 * give the same commands; malformed frames give the protocol error text Redis sends.
 */
class RespReaderTest {
  private static final long[] SEEDS = {1, 7, 42, 2024, 99991};

  // ------------------------------------------------------------------------------------------ helpers

  private static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  /** Feeds the input in the given pieces, draining complete commands after each; returns them all. */
  private static List<List<byte[]>> parse(byte[] input, int[] cuts, long maxBulk) throws ProtocolException {
    RespReader r = new RespReader();
    if (maxBulk > 0) {
      r.maxBulkLen(maxBulk);
    }
    Args a = new Args();
    List<List<byte[]>> out = new ArrayList<>();
    int from = 0;
    for (int i = 0; i <= cuts.length; i++) {
      int to = i < cuts.length ? cuts[i] : input.length;
      if (i % 2 == 0) {
        r.feed(input, from, to - from);
      } else {
        r.feed(Buffer.buffer(Arrays.copyOfRange(input, from, to)));
      }
      from = to;
      while (r.next(a)) {
        List<byte[]> cmd = new ArrayList<>();
        for (int k = 0; k < a.count(); k++) {
          cmd.add(a.bytes(k));
        }
        out.add(cmd);
      }
      r.compactIfEmpty();
    }
    return out;
  }

  private static int[] whole() {
    return new int[0];
  }

  private static int[] byteByByte(int length) {
    int[] cuts = new int[Math.max(0, length - 1)];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = i + 1;
    }
    return cuts;
  }

  private static int[] randomSplits(int length, long seed) {
    Random rnd = new Random(seed);
    List<Integer> cuts = new ArrayList<>();
    int p = 0;
    while (true) {
      p += 1 + rnd.nextInt(rnd.nextBoolean() ? 7 : 20_000);
      if (p >= length) {
        break;
      }
      cuts.add(p);
    }
    return cuts.stream().mapToInt(Integer::intValue).toArray();
  }

  private static List<int[]> allSplits(int length, boolean includeByteByByte) {
    List<int[]> all = new ArrayList<>();
    all.add(whole());
    if (includeByteByByte) {
      all.add(byteByByte(length));
    }
    for (long seed : SEEDS) {
      all.add(randomSplits(length, seed));
    }
    return all;
  }

  /** Asserts that every way of feeding the input gives exactly the expected commands. */
  private static void assertCommands(byte[] input, List<List<byte[]>> expected) throws ProtocolException {
    for (int[] cuts : allSplits(input.length, input.length < 300_000)) {
      List<List<byte[]>> got = parse(input, cuts, 0);
      assertEquals(expected.size(), got.size(), "command count with " + cuts.length + " cuts");
      for (int i = 0; i < expected.size(); i++) {
        assertEquals(expected.get(i).size(), got.get(i).size(), "argument count of command " + i);
        for (int k = 0; k < expected.get(i).size(); k++) {
          assertArrayEquals(expected.get(i).get(k), got.get(i).get(k), "command " + i + " argument " + k);
        }
      }
    }
  }

  private static void assertCommands(String input, String... commands) throws ProtocolException {
    List<List<byte[]>> expected = new ArrayList<>();
    for (String c : commands) {
      List<byte[]> args = new ArrayList<>();
      for (String s : c.split("\\|", -1)) {
        args.add(latin1(s));
      }
      expected.add(args);
    }
    assertCommands(latin1(input), expected);
  }

  /** Asserts that every way of feeding the input fails with the message (commands before it may parse). */
  private static void assertProtocolError(String input, String message) {
    assertProtocolError(latin1(input), message, 0);
  }

  private static void assertProtocolError(byte[] input, String message, long maxBulk) {
    for (int[] cuts : allSplits(input.length, input.length < 300_000)) {
      ProtocolException e = assertThrows(ProtocolException.class, () -> parse(input, cuts, maxBulk),
          "with " + cuts.length + " cuts");
      assertEquals(message, e.getMessage());
    }
  }

  private static byte[] multibulk(byte[]... args) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(latin1("*" + args.length + "\r\n"));
    for (byte[] a : args) {
      b.writeBytes(latin1("$" + a.length + "\r\n"));
      b.writeBytes(a);
      b.writeBytes(latin1("\r\n"));
    }
    return b.toByteArray();
  }

  // ------------------------------------------------------------------------------------------ multibulk

  @Test
  void simpleMultibulk() throws Exception {
    assertCommands("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n", "SET|k|hello");
  }

  @Test
  void emptyBulkArgument() throws Exception {
    assertCommands("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n", "SET|k|");
  }

  @Test
  void binaryBulkWithCrlfAndZeroBytesInside() throws Exception {
    byte[] value = new byte[256];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) i;
    }
    byte[] v2 = latin1("a\r\nb\r\n*1\r\n$1\r\n");
    byte[] in = multibulk(latin1("SET"), value, v2);
    assertCommands(in, List.of(List.of(latin1("SET"), value, v2)));
  }

  @Test
  void bulkLargerThan64KiB() throws Exception {
    byte[] big = new byte[100_000];
    new Random(3).nextBytes(big);
    byte[] in = multibulk(latin1("SET"), latin1("k"), big);
    assertCommands(in, List.of(List.of(latin1("SET"), latin1("k"), big)));
  }

  @Test
  void bulkLargerThan1MiBFollowedByAnotherCommand() throws Exception {
    byte[] big = new byte[1_500_000];
    new Random(5).nextBytes(big);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(multibulk(latin1("SET"), latin1("k"), big));
    b.writeBytes(multibulk(latin1("GET"), latin1("k")));
    assertCommands(b.toByteArray(),
        List.of(List.of(latin1("SET"), latin1("k"), big), List.of(latin1("GET"), latin1("k"))));
  }

  @Test
  void manyPipelinedCommands() throws Exception {
    StringBuilder in = new StringBuilder();
    String[] expected = new String[500];
    for (int i = 0; i < 500; i++) {
      if (i % 3 == 0) {
        in.append("INCR counter").append(i).append("\r\n");
      } else {
        in.append("*2\r\n$4\r\nINCR\r\n$").append(("counter" + i).length()).append("\r\ncounter").append(i)
            .append("\r\n");
      }
      expected[i] = "INCR|counter" + i;
    }
    assertCommands(in.toString(), expected);
  }

  @Test
  void emptyAndNullMultibulkAreIgnored() throws Exception {
    assertCommands("*0\r\n*-1\r\n*-5\r\n*1\r\n$4\r\nPING\r\n", "PING");
  }

  @Test
  void incompleteCommandIsNotReturned() throws Exception {
    RespReader r = new RespReader();
    Args a = new Args();
    byte[] in = latin1("*2\r\n$4\r\nECHO\r\n$3\r\nab");
    r.feed(in, 0, in.length);
    assertFalse(r.next(a));
    assertTrue(r.pending() > 0);
    r.feed(latin1("c\r\n"), 0, 3);
    assertTrue(r.next(a));
    assertEquals("abc", a.str(1));
    assertEquals(0, r.pending());
    assertFalse(r.next(a));
  }

  // ------------------------------------------------------------------------------------------ inline

  @Test
  void inlineCommands() throws Exception {
    assertCommands("PING\r\nSET k v\r\nGET  k \r\n\tECHO\tx\r\n", "PING", "SET|k|v", "GET|k", "ECHO|x");
  }

  @Test
  void inlineWithBareNewline() throws Exception {
    assertCommands("PING\nECHO a\n", "PING", "ECHO|a");
  }

  @Test
  void blankLinesAreIgnored() throws Exception {
    assertCommands("\r\n\r\n\n   \r\nPING\r\n", "PING");
  }

  @Test
  void inlineDoubleQuotesWithEscapes() throws Exception {
    assertCommands("ECHO \"a\\x41\\n\"\r\n", "ECHO|aA\n");
    assertCommands("SET \"a b\" \"c\\\"d\"\r\n", "SET|a b|c\"d");
    assertCommands("ECHO \"\\t\\r\\b\\a\\\\\\z\"\r\n", "ECHO|\t\r\b\u0007\\z");
    assertCommands("ECHO \"\"\r\n", "ECHO|");
    assertCommands("ECHO \"\\xff\\x00\"\r\n", "ECHO|\u00ff\u0000");
  }

  @Test
  void inlineSingleQuotes() throws Exception {
    assertCommands("ECHO 'a\\'b'\r\n", "ECHO|a'b");
    assertCommands("ECHO 'a\\nb'\r\n", "ECHO|a\\nb");
    assertCommands("ECHO 'a \"b\"'\r\n", "ECHO|a \"b\"");
  }

  @Test
  void inlineQuoteInsideAWord() throws Exception {
    assertCommands("ECHO a\"b c\"\r\n", "ECHO|ab c");
  }

  @Test
  void inlineAndMultibulkMixed() throws Exception {
    assertCommands("PING\r\n*1\r\n$4\r\nPING\r\nECHO x\r\n", "PING", "PING", "ECHO|x");
  }

  // ------------------------------------------------------------------------------------------ malformed

  @Test
  void invalidMultibulkLength() {
    assertProtocolError("*abc\r\n", "invalid multibulk length");
    assertProtocolError("*\r\n", "invalid multibulk length");
    assertProtocolError("*+1\r\n$4\r\nPING\r\n", "invalid multibulk length");
    assertProtocolError("*03\r\n", "invalid multibulk length");
    assertProtocolError("*3000000000\r\n", "invalid multibulk length");
    assertProtocolError("*1x\r\n", "invalid multibulk length");
  }

  @Test
  void invalidBulkLength() {
    assertProtocolError("*1\r\n$-5\r\n", "invalid bulk length");
    assertProtocolError("*1\r\n$-1\r\n", "invalid bulk length");
    assertProtocolError("*1\r\n$abc\r\n", "invalid bulk length");
    assertProtocolError("*1\r\n$04\r\nPING\r\n", "invalid bulk length");
    assertProtocolError("*1\r\n$\r\n", "invalid bulk length");
    assertProtocolError("*1\r\n$536870913\r\n", "invalid bulk length");
  }

  @Test
  void bulkAtTheLimitWaitsForData() throws Exception {
    RespReader r = new RespReader();
    Args a = new Args();
    byte[] in = latin1("*1\r\n$536870912\r\n");
    r.feed(in, 0, in.length);
    assertFalse(r.next(a));
  }

  @Test
  void bulkLongerThanConfiguredLimit() throws Exception {
    assertProtocolError(latin1("*2\r\n$3\r\nGET\r\n$11\r\nhello world\r\n"), "invalid bulk length", 10);
    List<List<byte[]>> ok = parse(latin1("*2\r\n$3\r\nGET\r\n$10\r\nhelloworld\r\n"), whole(), 10);
    assertEquals(1, ok.size());
  }

  @Test
  void expectedDollar() {
    assertProtocolError("*2\r\n:1\r\n", "expected '$', got ':'");
    assertProtocolError("*1\r\n+PING\r\n", "expected '$', got '+'");
    assertProtocolError("*2\r\n$4\r\nECHO\r\n*1\r\n", "expected '$', got '*'");
  }

  @Test
  void commandsBeforeAMalformedFrameAreReturned() throws Exception {
    RespReader r = new RespReader();
    Args a = new Args();
    byte[] in = latin1("PING\r\n*1\r\n$4\r\nPING\r\n*1\r\n$-5\r\n");
    r.feed(in, 0, in.length);
    assertTrue(r.next(a));
    assertTrue(r.next(a));
    ProtocolException e = assertThrows(ProtocolException.class, () -> r.next(a));
    assertEquals("invalid bulk length", e.getMessage());
  }

  @Test
  void tooBigInlineRequest() {
    byte[] in = new byte[70_000];
    Arrays.fill(in, (byte) 'a');
    assertProtocolError(in, "too big inline request", 0);
  }

  @Test
  void inlineJustUnderTheLimitWaits() throws Exception {
    byte[] in = new byte[60_000];
    Arrays.fill(in, (byte) 'a');
    assertEquals(0, parse(in, whole(), 0).size());
  }

  @Test
  void tooBigMultibulkCountString() {
    byte[] in = new byte[70_000];
    Arrays.fill(in, (byte) '1');
    in[0] = '*';
    assertProtocolError(in, "too big mbulk count string", 0);
  }

  @Test
  void tooBigBulkCountString() {
    byte[] in = new byte[70_000];
    Arrays.fill(in, (byte) '1');
    System.arraycopy(latin1("*1\r\n$"), 0, in, 0, 5);
    assertProtocolError(in, "too big bulk count string", 0);
  }

  @Test
  void unbalancedQuotes() {
    assertProtocolError("ECHO \"abc\r\n", "unbalanced quotes in request");
    assertProtocolError("ECHO 'abc\r\n", "unbalanced quotes in request");
    assertProtocolError("ECHO \"abc\"d\r\n", "unbalanced quotes in request");
    assertProtocolError("ECHO 'abc'd\r\n", "unbalanced quotes in request");
  }

  @Test
  void unauthenticatedLimits() throws Exception {
    boolean[] unauth = {true};
    RespReader r = new RespReader();
    r.unauthenticated(() -> unauth[0]);
    Args a = new Args();
    byte[] ok = latin1("*10\r\n" + "$1\r\nx\r\n".repeat(10));
    r.feed(ok, 0, ok.length);
    assertTrue(r.next(a));
    byte[] many = latin1("*11\r\n");
    r.feed(many, 0, many.length);
    assertEquals("unauthenticated multibulk length", assertThrows(ProtocolException.class, () -> r.next(a))
        .getMessage());

    RespReader r2 = new RespReader();
    r2.unauthenticated(() -> unauth[0]);
    byte[] big = latin1("*2\r\n$4\r\nAUTH\r\n$16385\r\n");
    r2.feed(big, 0, big.length);
    assertEquals("unauthenticated bulk length", assertThrows(ProtocolException.class, () -> r2.next(a))
        .getMessage());

    unauth[0] = false;
    RespReader r3 = new RespReader();
    r3.unauthenticated(() -> unauth[0]);
    r3.feed(big, 0, big.length);
    assertFalse(r3.next(a));
  }

  @Test
  void bulkLimitIsReadAtEachHeader() throws Exception {
    long[] limit = {100};
    RespReader r = new RespReader();
    r.maxBulkLen(() -> limit[0]);
    Args a = new Args();
    byte[] in = latin1("*1\r\n$50\r\n" + "x".repeat(50) + "\r\n");
    r.feed(in, 0, in.length);
    assertTrue(r.next(a));
    limit[0] = 10;
    r.feed(in, 0, in.length);
    assertEquals("invalid bulk length", assertThrows(ProtocolException.class, () -> r.next(a)).getMessage());
  }

  @Test
  void argsHelpers() {
    Args a = Args.of("SeT", "12", "x");
    assertTrue(a.is(0, "set"));
    assertFalse(a.is(3, "set"));
    assertEquals("set", a.lower(0));
    assertEquals(12, a.longArg(1));
    assertEquals("x", text(a.bytes(2)));
  }
}
