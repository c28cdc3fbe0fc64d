package dev.vireo.replication.propagation;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A bare replica that only listens: it sends the legacy {@code SYNC} (no {@code capa eof}, so the snapshot comes
 * as {@code $<len>}), skips the snapshot and the newlines sent while it is prepared, then reads the command
 * stream as RESP arrays. Each command is a list of its arguments decoded as ISO-8859-1 (byte for byte).
 */
final class ReplicaStream implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final List<List<String>> commands = new ArrayList<>();

  ReplicaStream(int port, Duration timeout) {
    try {
      socket = new Socket();
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
      socket.setSoTimeout((int) timeout.toMillis());
      in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
      socket.getOutputStream().write("SYNC\r\n".getBytes(StandardCharsets.US_ASCII));
      int b;
      while ((b = read()) == '\n') {
        // keep-alive newlines before the snapshot
      }
      if (b != '$') throw new IOException("expected the snapshot's $<len>, got byte " + b + " then " + line());
      long len = Long.parseLong(line());
      long skipped = 0;
      while (skipped < len) {
        long n = in.skip(len - skipped);
        if (n <= 0) {
          read();
          n = 1;
        }
        skipped += n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot SYNC with port " + port, e);
    }
  }

  /** Every command read so far, in stream order. */
  List<List<String>> commands() {
    return commands;
  }

  /** Reads commands until one matches {@code stop} (at index {@code from} or later); returns its index. */
  int readUntil(int from, Predicate<List<String>> stop) {
    for (int i = from; i < commands.size(); i++) if (stop.test(commands.get(i))) return i;
    while (true) {
      List<String> cmd = next();
      commands.add(cmd);
      if (commands.size() - 1 >= from && stop.test(cmd)) return commands.size() - 1;
    }
  }

  private List<String> next() {
    try {
      int b = read();
      if (b != '*') throw new IOException("expected an array in the stream, got byte " + b + " then " + line());
      int n = Integer.parseInt(line());
      List<String> args = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        if (read() != '$') throw new IOException("expected a bulk string in the stream");
        int len = Integer.parseInt(line());
        byte[] v = in.readNBytes(len);
        if (v.length != len || read() != '\r' || read() != '\n') throw new EOFException("stream cut in a bulk");
        args.add(new String(v, StandardCharsets.ISO_8859_1));
      }
      return args;
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the stream went silent; read so far: " + commands, e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading the stream after " + commands, e);
    }
  }

  private int read() throws IOException {
    int b = in.read();
    if (b < 0) throw new EOFException("the master closed the stream");
    return b;
  }

  private String line() throws IOException {
    ByteArrayOutputStream sb = new ByteArrayOutputStream();
    int b;
    while ((b = read()) != '\r') sb.write(b);
    read(); // \n
    return sb.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
