package dev.vireo.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A deliberately plain RESP client over a blocking socket, for tests that compare exact reply bytes.
 *
 * <p>It frames replies (so it knows where one ends) but never interprets them: {@link #call} returns the reply
 * as the server wrote it, CRLFs included, decoded byte for byte as ISO-8859-1. It understands every RESP2 and
 * RESP3 type with a known length: {@code + - : $ * _ , # ! = ( % ~ > |}, nested to any depth, including the
 * nulls {@code $-1} and {@code *-1}. An attribute ({@code |}) is returned together with the reply it
 * annotates. Streamed (chunked) replies are not supported.
 *
 * <p>Every read is bounded by the read timeout (default 10 s) for the whole reply; a timeout throws an
 * {@link UncheckedIOException} whose message shows the bytes received so far.
 */
public final class RespClient implements AutoCloseable {
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_SHOWN_BYTES = 2048;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final byte[] buffer = new byte[64 * 1024];
  private int position;
  private int limit;
  private Duration readTimeout = DEFAULT_READ_TIMEOUT;

  /** Bytes of the reply being read, kept for error messages and for the raw result. */
  private final ByteArrayOutputStream current = new ByteArrayOutputStream();
  private long deadlineNanos;

  public RespClient(String host, int port) {
    try {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), (int) CONNECT_TIMEOUT.toMillis());
      in = socket.getInputStream();
      out = socket.getOutputStream();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot connect to " + host + ":" + port, e);
    }
  }

  /** A client connected to a port on loopback. */
  public RespClient(int port) {
    this(InetAddress.getLoopbackAddress().getHostAddress(), port);
  }

  /** Bounds the time to read one whole reply (and {@link #isClosedByPeer} waits given no bound). */
  public RespClient readTimeout(Duration timeout) {
    this.readTimeout = timeout;
    return this;
  }

  public Duration readTimeout() {
    return readTimeout;
  }

  /** Sends a command as a RESP array of bulk strings (arguments encoded as UTF-8) and reads one reply. */
  public String call(String... args) {
    byte[][] encoded = new byte[args.length][];
    for (int i = 0; i < args.length; i++) {
      encoded[i] = args[i].getBytes(StandardCharsets.UTF_8);
    }
    return latin1(callBytes(encoded));
  }

  /** Sends a command as a RESP array of binary bulk strings and reads one reply, raw. */
  public byte[] callBytes(byte[]... args) {
    sendRaw(encodeCommand(args));
    return readReplyBytes();
  }

  /** The RESP encoding of a command: an array of bulk strings. */
  public static byte[] encodeCommand(byte[]... args) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    buf.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (byte[] arg : args) {
      buf.writeBytes(("$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      buf.writeBytes(arg);
      buf.writeBytes(new byte[] {'\r', '\n'});
    }
    return buf.toByteArray();
  }

  /** The RESP encoding of a command given as UTF-8 strings. */
  public static byte[] encodeCommand(String... args) {
    byte[][] encoded = new byte[args.length][];
    for (int i = 0; i < args.length; i++) {
      encoded[i] = args[i].getBytes(StandardCharsets.UTF_8);
    }
    return encodeCommand(encoded);
  }

  /** Writes bytes as they are: inline commands, pipelines, malformed input. */
  public void sendRaw(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot send " + show(bytes, bytes.length), e);
    }
  }

  /** Writes a string's characters as single bytes (ISO-8859-1), so {@code "\u00ff"} sends byte 0xFF. */
  public void sendRaw(String text) {
    sendRaw(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Reads exactly one complete reply of any type and returns its raw text. */
  public String readReply() {
    return latin1(readReplyBytes());
  }

  /** Reads exactly one complete reply of any type and returns its raw bytes. */
  public byte[] readReplyBytes() {
    current.reset();
    deadlineNanos = System.nanoTime() + readTimeout.toNanos();
    try {
      readValue();
    } catch (SocketTimeoutException e) {
      throw new UncheckedIOException("no complete reply within " + readTimeout.toMillis() + " ms; received so far: "
          + show(current.toByteArray(), current.size()), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage() + "; received so far: "
          + show(current.toByteArray(), current.size()), e);
    }
    return current.toByteArray();
  }

  /**
   * True if the server closes the connection within the bound. Whatever it sends before closing (a last error
   * reply, say) is read and discarded.
   */
  public boolean isClosedByPeer(Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    position = limit;
    try {
      while (true) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return false;
        }
        socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(remaining).toMillis()));
        int n = in.read(buffer);
        if (n < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // connection reset
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int localPort() {
    return socket.getLocalPort();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  // ---------------------------------------------------------------------------------------------- framing

  private void readValue() throws IOException {
    int type = readByte();
    switch (type) {
      case '+', '-', ':', '_', ',', '#', '(' -> readLine();
      case '$', '!', '=' -> {
        long length = readLength();
        if (length >= 0) {
          readExactly(length);
          expectCrlf();
        }
      }
      case '*', '~', '>' -> {
        long count = readLength();
        for (long i = 0; i < count; i++) {
          readValue();
        }
      }
      case '%' -> {
        long count = readLength();
        for (long i = 0; i < 2 * count; i++) {
          readValue();
        }
      }
      case '|' -> {
        long count = readLength();
        for (long i = 0; i < 2 * count; i++) {
          readValue();
        }
        readValue(); // the reply the attribute belongs to
      }
      default -> throw new IOException("unexpected RESP type byte " + show(new byte[] {(byte) type}, 1));
    }
  }

  /** Reads the rest of a header line and parses it as a length or count ({@code -1} = null). */
  private long readLength() throws IOException {
    String line = readLine();
    if (line.equals("?")) {
      throw new IOException("streamed replies are not supported");
    }
    try {
      return Long.parseLong(line);
    } catch (NumberFormatException e) {
      throw new IOException("bad length '" + line + "'");
    }
  }

  /** Reads up to and including CRLF; returns the line without it. */
  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int b = readByte();
      if (b == '\r') {
        int next = readByte();
        if (next != '\n') {
          throw new IOException("CR not followed by LF");
        }
        return line.toString();
      }
      line.append((char) b);
    }
  }

  private void expectCrlf() throws IOException {
    if (readByte() != '\r' || readByte() != '\n') {
      throw new IOException("bulk payload not followed by CRLF");
    }
  }

  private void readExactly(long length) throws IOException {
    for (long i = 0; i < length; ) {
      if (position == limit) {
        fill();
      }
      int chunk = (int) Math.min(limit - position, length - i);
      current.write(buffer, position, chunk);
      position += chunk;
      i += chunk;
    }
  }

  private int readByte() throws IOException {
    if (position == limit) {
      fill();
    }
    int b = buffer[position++] & 0xff;
    current.write(b);
    return b;
  }

  private void fill() throws IOException {
    long remaining = deadlineNanos - System.nanoTime();
    if (remaining <= 0) {
      throw new SocketTimeoutException();
    }
    socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(remaining).toMillis()));
    int n = in.read(buffer);
    if (n < 0) {
      throw new IOException("connection closed by server before the reply was complete");
    }
    position = 0;
    limit = n;
  }

  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /** Bytes as a readable Java-like literal: printable ASCII as is, CR/LF escaped, others as \xNN. */
  static String show(byte[] bytes, int length) {
    StringBuilder s = new StringBuilder("\"");
    int start = Math.max(0, length - MAX_SHOWN_BYTES);
    if (start > 0) {
      s.append("...(").append(start).append(" bytes before)...");
    }
    for (int i = start; i < length; i++) {
      int b = bytes[i] & 0xff;
      switch (b) {
        case '\r' -> s.append("\\r");
        case '\n' -> s.append("\\n");
        case '"' -> s.append("\\\"");
        case '\\' -> s.append("\\\\");
        default -> {
          if (b >= 0x20 && b < 0x7f) {
            s.append((char) b);
          } else {
            s.append(String.format("\\x%02x", b));
          }
        }
      }
    }
    return s.append('"').toString();
  }
}
