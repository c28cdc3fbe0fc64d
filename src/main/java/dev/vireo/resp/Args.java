package dev.vireo.resp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The arguments of one command as slices of the reader's buffer (or of a scratch array for inline commands).
 * Valid until the reader is fed again; copy with {@link #bytes(int)} what must outlive the command.
 */
public final class Args {
  byte[][] bufs = new byte[8][];
  int[] offs = new int[8];
  int[] lens = new int[8];
  int count;

  void reset() {
    count = 0;
  }

  void add(byte[] buf, int off, int len) {
    if (count == offs.length) {
      int n = count * 2;
      bufs = Arrays.copyOf(bufs, n);
      offs = Arrays.copyOf(offs, n);
      lens = Arrays.copyOf(lens, n);
    }
    bufs[count] = buf;
    offs[count] = off;
    lens[count] = len;
    count++;
  }

  /** Builds arguments from plain values (commands issued by the node itself, tests). */
  public static Args of(byte[]... values) {
    Args a = new Args();
    for (byte[] v : values) a.add(v, 0, v.length);
    return a;
  }

  public static Args of(String... values) {
    Args a = new Args();
    for (String v : values) {
      byte[] b = v.getBytes(StandardCharsets.UTF_8);
      a.add(b, 0, b.length);
    }
    return a;
  }

  public int count() {
    return count;
  }

  public byte[] buf(int i) {
    return bufs[i];
  }

  public int off(int i) {
    return offs[i];
  }

  public int len(int i) {
    return lens[i];
  }

  /** A copy of argument i, for values that enter the store. */
  public byte[] bytes(int i) {
    return Arrays.copyOfRange(bufs[i], offs[i], offs[i] + lens[i]);
  }

  public String str(int i) {
    return new String(bufs[i], offs[i], lens[i], StandardCharsets.UTF_8);
  }

  /**
   * Argument {@code i} as an error reply echoes it, like C's {@code %.Ns}: cut at the first NUL byte and after
   * {@code maxBytes} bytes; bytes that are not UTF-8 survive as {@link RespWriter#rawByte} characters.
   */
  public String echo(int i, int maxBytes) {
    return RespWriter.escapeBytes(bufs[i], offs[i], echoLength(i, maxBytes));
  }

  /** Argument {@code i} as an error reply's {@code %s} echoes it: cut at the first NUL byte. */
  public String echo(int i) {
    return echo(i, Integer.MAX_VALUE);
  }

  /** Bytes as an error reply's {@code %s} echoes them: cut at the first NUL byte. */
  public static String echo(byte[] b) {
    int n = 0;
    while (n < b.length && b[n] != 0) n++;
    return RespWriter.escapeBytes(b, 0, n);
  }

  /** The number of bytes {@link #echo} keeps. */
  public int echoLength(int i, int maxBytes) {
    int n = Math.min(lens[i], Math.max(0, maxBytes));
    for (int k = 0; k < n; k++) {
      if (bufs[i][offs[i] + k] == 0) return k;
    }
    return n;
  }

  /** Case-insensitive comparison with an ASCII word, without allocating. */
  public boolean is(int i, String word) {
    if (i >= count || lens[i] != word.length()) return false;
    byte[] b = bufs[i];
    int o = offs[i];
    for (int k = 0; k < word.length(); k++) {
      int x = b[o + k];
      if (x >= 'A' && x <= 'Z') x += 32;
      int y = word.charAt(k);
      if (y >= 'A' && y <= 'Z') y += 32;
      if (x != y) return false;
    }
    return true;
  }

  /** Argument i lower-cased as a String (command and option names). */
  public String lower(int i) {
    char[] c = new char[lens[i]];
    byte[] b = bufs[i];
    int o = offs[i];
    for (int k = 0; k < c.length; k++) {
      int x = b[o + k] & 0xff;
      if (x >= 'A' && x <= 'Z') x += 32;
      c[k] = (char) x;
    }
    return new String(c);
  }

  /** Argument i as a canonical 64-bit integer, else the given error. */
  public long longArg(int i, String error) {
    return Numbers.parseLongOrThrow(bufs[i], offs[i], lens[i], error);
  }

  /** Argument i as a canonical 64-bit integer, else {@code ERR value is not an integer or out of range}. */
  public long longArg(int i) {
    return longArg(i, Errors.NOT_INTEGER);
  }

  /**
   * Argument i as an int: not a 64-bit integer is {@code ERR value is not an integer or out of range}, one past the
   * int range {@code ERR value is out of range, value must between -2147483648 and 2147483647} (Redis's wording).
   */
  public int intArg(int i) {
    long v = longArg(i);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw new CommandError(
        "ERR value is out of range, value must between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE);
    return (int) v;
  }

  /** The arguments as a copied array; for the rare paths that keep a whole command (slowlog, MULTI). */
  public byte[][] toArray() {
    byte[][] r = new byte[count][];
    for (int i = 0; i < count; i++) r[i] = bytes(i);
    return r;
  }
}
