package dev.vireo.persistence.aof;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads the commands of one AOF file, as {@code *<n>\r\n$<len>\r\n<bytes>\r\n...}, keeping the byte offset of
 * everything it consumes. Lines starting with {@code #} between commands are annotations ({@code #TS:<seconds>}
 * with {@code aof-timestamp-enabled}) and are skipped. The end of the file exactly between two commands is the
 * normal end; the end inside a command is {@link Truncated}; anything else that is not a command is
 * {@link BadFormat}, at the offset of the line where it starts. Blocking I/O: run it off the data loop.
 */
final class AofReader implements Closeable {
  /** The longest argument accepted: {@code proto-max-bulk-len}'s maximum. */
  private static final long MAX_BULK = Integer.MAX_VALUE - 16;

  /** The file ends inside a command. */
  static final class Truncated extends Exception {
    Truncated() {
      super("unexpected end of file", null, false, false);
    }
  }

  /** Bytes that are not a command, starting at {@link #offset}. */
  static final class BadFormat extends Exception {
    final long offset;

    BadFormat(long offset) {
      super("bad file format at offset " + offset, null, false, false);
      this.offset = offset;
    }
  }

  private final InputStream in;
  private final long size;
  private long offset;
  /** Read ahead of {@link #offset}: {@code buf[pos..lim)}. */
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int lim;

  /** Reads {@code in} from {@code start} (where it is positioned) to {@code size}, the file's length. */
  AofReader(InputStream in, long start, long size) {
    this.in = in;
    this.offset = start;
    this.size = size;
  }

  /** Bytes consumed, from the start of the file: after {@link #next}, the end of the command it returned. */
  long offset() {
    return offset;
  }

  /** The next command's arguments, or null at the end of the file between two commands. */
  byte[][] next() throws IOException, Truncated, BadFormat {
    int b;
    while (true) {
      b = read();
      if (b < 0) return null;
      if (b != '#') break;
      // an annotation: up to the end of its line (one cut by the end of the file ends the file, as in Redis)
      do {
        b = read();
      } while (b >= 0 && b != '\n');
      if (b < 0) return null;
    }
    long lineStart = offset - 1;
    if (b != '*') throw new BadFormat(lineStart);
    long argc = number(lineStart);
    if (argc < 1 || argc > 1024 * 1024) throw new BadFormat(lineStart);
    byte[][] argv = new byte[(int) Math.min(argc, 64)][];
    for (int i = 0; i < argc; i++) {
      long at = offset;
      b = read();
      if (b < 0) throw new Truncated();
      if (b != '$') throw new BadFormat(at);
      long len = number(at);
      if (len < 0 || len > MAX_BULK) throw new BadFormat(at);
      if (offset + len + 2 > size) throw new Truncated();
      byte[] arg = new byte[(int) len];
      if (readFully(arg) < len) throw new Truncated();
      int cr = read();
      int lf = read();
      if (lf < 0) throw new Truncated();
      if (cr != '\r' || lf != '\n') throw new BadFormat(offset - 2);
      if (i == argv.length) argv = Arrays.copyOf(argv, (int) Math.min(argc, argv.length * 2L));
      argv[i] = arg;
    }
    return argv;
  }

  /** The decimal number that follows a {@code *} or {@code $}, up to its CRLF. */
  private long number(long lineStart) throws IOException, Truncated, BadFormat {
    long n = 0;
    int digits = 0;
    boolean negative = false;
    while (true) {
      int b = read();
      if (b < 0) throw new Truncated();
      if (b == '\r') break;
      if (b == '-' && digits == 0 && !negative) {
        negative = true;
        continue;
      }
      if (b < '0' || b > '9' || ++digits > 18) throw new BadFormat(lineStart);
      n = n * 10 + (b - '0');
    }
    int lf = read();
    if (lf < 0) throw new Truncated();
    if (lf != '\n' || digits == 0) throw new BadFormat(lineStart);
    return negative ? -n : n;
  }

  private int read() throws IOException {
    if (pos == lim && !fill()) return -1;
    offset++;
    return buf[pos++] & 0xff;
  }

  /** Fills {@code dst} from the buffer, then the stream; returns how many bytes it got. */
  private int readFully(byte[] dst) throws IOException {
    int n = 0;
    while (n < dst.length) {
      if (pos == lim && !fill()) break;
      int k = Math.min(dst.length - n, lim - pos);
      System.arraycopy(buf, pos, dst, n, k);
      pos += k;
      n += k;
    }
    offset += n;
    return n;
  }

  private boolean fill() throws IOException {
    int n = in.read(buf, 0, buf.length);
    if (n <= 0) return false;
    pos = 0;
    lim = n;
    return true;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
