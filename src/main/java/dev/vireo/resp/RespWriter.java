package dev.vireo.resp;

import dev.vireo.util.Doubles;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes replies for one connection into a growable array; {@link #take()} hands the bytes of everything written
 * since the last call to the socket as one write. Aggregate and null replies follow the connection's protocol
 * (RESP2 or RESP3).
 */
public final class RespWriter {
  private static final byte[] CRLF = {'\r', '\n'};
  private static final int SMALL = 1024;
  private static final byte[][] INTS = new byte[SMALL][];
  private static final byte[][] BULK_HEADERS = new byte[SMALL][];

  static {
    for (int i = 0; i < SMALL; i++) {
      INTS[i] = (":" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
      BULK_HEADERS[i] = ("$" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
  }

  public static final byte[] OK = ascii("+OK\r\n");
  public static final byte[] PONG = ascii("+PONG\r\n");
  public static final byte[] QUEUED = ascii("+QUEUED\r\n");
  private static final byte[] NULL_BULK = ascii("$-1\r\n");
  private static final byte[] NULL_ARRAY = ascii("*-1\r\n");
  private static final byte[] NULL3 = ascii("_\r\n");
  private static final byte[] EMPTY_ARRAY = ascii("*0\r\n");

  private byte[] out = new byte[4096];
  private int pos;
  private int proto = 2;

  public static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  public int proto() {
    return proto;
  }

  public void proto(int proto) {
    this.proto = proto;
  }

  public int position() {
    return pos;
  }

  /** Drops everything written after {@code mark} (CLIENT REPLY OFF/SKIP). */
  public void truncate(int mark) {
    pos = mark;
  }

  /** The backing array: valid from 0 to {@link #position()} until the next write. */
  public byte[] array() {
    return out;
  }

  /** The reply buffer's size: what it takes in memory while empty or filling. */
  public int capacity() {
    return out.length;
  }

  public boolean isEmpty() {
    return pos == 0;
  }

  /** The pending bytes as a Buffer for one socket write; the writer starts over empty. */
  public Buffer take() {
    Buffer b = Buffer.buffer(Arrays.copyOf(out, pos));
    pos = 0;
    if (out.length > 1 << 20) out = new byte[4096];
    return b;
  }

  private void ensure(int n) {
    if (pos + n > out.length) out = Arrays.copyOf(out, Math.max(out.length * 2, pos + n));
  }

  public RespWriter raw(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, out, pos, b.length);
    pos += b.length;
    return this;
  }

  public RespWriter raw(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, out, pos, len);
    pos += len;
    return this;
  }

  private void ascii0(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) out[pos++] = (byte) s.charAt(i);
  }

  private void decimal(long v) {
    if (v == Long.MIN_VALUE) {
      ascii0("-9223372036854775808");
      return;
    }
    ensure(20);
    if (v < 0) {
      out[pos++] = '-';
      v = -v;
    }
    int start = pos;
    do {
      out[pos++] = (byte) ('0' + v % 10);
      v /= 10;
    } while (v != 0);
    for (int i = start, j = pos - 1; i < j; i++, j--) {
      byte t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
  }

  private void crlf() {
    ensure(2);
    out[pos++] = '\r';
    out[pos++] = '\n';
  }

  private void header(char type, long n) {
    ensure(1);
    out[pos++] = (byte) type;
    decimal(n);
    crlf();
  }

  public RespWriter ok() {
    return raw(OK);
  }

  /** A simple string; the text must not contain CR or LF. */
  public RespWriter simple(String s) {
    ensure(1);
    out[pos++] = '+';
    ascii0(s);
    crlf();
    return this;
  }

  /** An error reply; {@code msg} starts with its code ("ERR ...", "WRONGTYPE ..."). Newlines become spaces. */
  public RespWriter error(String msg) {
    ensure(1);
    out[pos++] = '-';
    raw(errorBytes(msg));
    crlf();
    return this;
  }

  /**
   * The bytes of an error message: UTF-8, CR and LF at the end dropped and elsewhere as spaces (as Redis trims
   * and maps them), and each {@link #rawByte} character back to the byte it stands for, so an echoed binary
   * argument reaches the client unchanged.
   */
  public static byte[] errorBytes(String msg) {
    ByteArrayOutputStream b = new ByteArrayOutputStream(msg.length() + 8);
    int length = msg.length();
    while (length > 0 && (msg.charAt(length - 1) == '\r' || msg.charAt(length - 1) == '\n')) length--;
    for (int i = 0; i < length; i++) {
      char ch = msg.charAt(i);
      if (ch == '\r' || ch == '\n') {
        b.write(' ');
      } else if (ch < 0x80) {
        b.write(ch);
      } else if (ch >= RAW_BYTE_BASE && ch <= RAW_BYTE_BASE + 0xff) {
        b.write(ch - RAW_BYTE_BASE);
      } else {
        int end = i + (Character.isHighSurrogate(ch) && i + 1 < length ? 2 : 1);
        b.writeBytes(msg.substring(i, end).getBytes(StandardCharsets.UTF_8));
        i = end - 1;
      }
    }
    return b.toByteArray();
  }

  /** Lone low surrogates U+DC80..U+DCFF carry undecodable bytes through a String (as "surrogateescape" does). */
  private static final char RAW_BYTE_BASE = 0xDC00;

  /** The character that stands for byte {@code b} (0x80..0xff) that is not part of valid UTF-8. */
  public static char rawByte(int b) {
    return (char) (RAW_BYTE_BASE + (b & 0xff));
  }

  /** Decodes bytes as UTF-8, keeping each byte of an invalid sequence as a {@link #rawByte} character. */
  public static String escapeBytes(byte[] buf, int off, int len) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(buf, off, len);
    CharBuffer out = CharBuffer.allocate(len);
    StringBuilder sb = new StringBuilder(len);
    while (true) {
      CoderResult r = decoder.decode(in, out, true);
      out.flip();
      sb.append(out);
      out.clear();
      if (r.isUnderflow()) break;
      if (r.isError()) {
        for (int k = 0; k < r.length(); k++) sb.append(rawByte(in.get()));
      }
    }
    return sb.toString();
  }

  public RespWriter integer(long v) {
    if (v >= 0 && v < SMALL) return raw(INTS[(int) v]);
    header(':', v);
    return this;
  }

  public RespWriter bulk(byte[] b) {
    return bulk(b, 0, b.length);
  }

  public RespWriter bulk(byte[] b, int off, int len) {
    if (len < SMALL) raw(BULK_HEADERS[len]);
    else header('$', len);
    raw(b, off, len);
    crlf();
    return this;
  }

  public RespWriter bulk(String s) {
    return bulk(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A bulk string holding the decimal form of v (GET of an integer-encoded value, INCR's reply is integer). */
  public RespWriter bulkLong(long v) {
    return bulk(Long.toString(v));
  }

  public RespWriter nullBulk() {
    return raw(proto == 3 ? NULL3 : NULL_BULK);
  }

  public RespWriter nullArray() {
    return raw(proto == 3 ? NULL3 : NULL_ARRAY);
  }

  public RespWriter array(long n) {
    if (n == 0) return raw(EMPTY_ARRAY);
    header('*', n);
    return this;
  }

  /** A map of n pairs: {@code %n} in RESP3, a flat array of 2n elements in RESP2. */
  public RespWriter map(long n) {
    header(proto == 3 ? '%' : '*', proto == 3 ? n : n * 2);
    return this;
  }

  /** A set: {@code ~n} in RESP3, an array in RESP2. */
  public RespWriter set(long n) {
    header(proto == 3 ? '~' : '*', n);
    return this;
  }

  /** A push message: {@code >n} in RESP3, an array in RESP2 (pub/sub, MONITOR-like feeds). */
  public RespWriter push(long n) {
    header(proto == 3 ? '>' : '*', n);
    return this;
  }

  /** A double: {@code ,} in RESP3, a bulk string in RESP2, formatted as Redis does. */
  public RespWriter dbl(double d) {
    String s = Doubles.format(d);
    if (proto == 3) {
      ensure(1);
      out[pos++] = ',';
      ascii0(s);
      crlf();
      return this;
    }
    return bulk(s);
  }

  public RespWriter bool(boolean b) {
    if (proto == 3) return raw(b ? ascii("#t\r\n") : ascii("#f\r\n"));
    return integer(b ? 1 : 0);
  }

  /** Verbatim text ({@code =len\r\ntxt:...}) in RESP3, a bulk string in RESP2 (INFO, CLIENT LIST...). */
  public RespWriter verbatim(String text) {
    if (proto != 3) return bulk(text);
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    header('=', b.length + 4);
    ascii0("txt:");
    raw(b);
    crlf();
    return this;
  }
}
