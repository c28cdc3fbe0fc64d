package dev.vireo.replication.master;

import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.RespLines;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A replica spoken byte by byte over a plain socket: the handshake, PSYNC or SYNC, the RDB in either form, then
 * the stream, read as a replica reads it (or not read at all, to play a replica too slow for its master).
 */
final class RawReplica implements AutoCloseable {
  private final Socket socket;
  private final CountingInput in;
  private final OutputStream out;
  /** Bare newlines received before the PSYNC reply and before the RDB header. */
  int keepalives;

  RawReplica(int port) {
    this(port, 0);
  }

  /** With {@code receiveBuffer > 0}: a small receive window, so that a replica that stops reading fills sooner. */
  RawReplica(int port, int receiveBuffer) {
    try {
      socket = new Socket();
      if (receiveBuffer > 0) socket.setReceiveBufferSize(receiveBuffer);
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
      socket.setSoTimeout(10_000);
      in = new CountingInput(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
      out = socket.getOutputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void send(String... words) {
    sendRaw(RespClient.encodeCommand(words));
  }

  void sendRaw(byte[] b) {
    try {
      out.write(b);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A command and its one-line reply. */
  String call(String... words) {
    send(words);
    return line();
  }

  /** One line without CRLF. */
  String line() {
    try {
      String l = RespLines.readLine(in);
      if (l == null) throw new EOFException("connection closed");
      return l;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first line that is not a bare keepalive newline; those are counted. */
  String lineSkippingKeepalives() {
    String l;
    while ((l = line()).isEmpty()) keepalives++;
    return l;
  }

  /** As a real replica: listening port and capabilities, each acknowledged. */
  void handshake(int listeningPort, boolean psync2) {
    String port = call("REPLCONF", "listening-port", Integer.toString(listeningPort));
    if (!port.equals("+OK")) throw new AssertionError("REPLCONF listening-port: " + port);
    String capa = psync2 ? call("REPLCONF", "capa", "eof", "capa", "psync2") : call("REPLCONF", "capa", "eof");
    if (!capa.equals("+OK")) throw new AssertionError("REPLCONF capa: " + capa);
  }

  /** PSYNC and its reply line (+FULLRESYNC, +CONTINUE, or an error). */
  String psync(String id, long offset) {
    send("PSYNC", id, Long.toString(offset));
    return lineSkippingKeepalives();
  }

  /** The RDB that follows +FULLRESYNC (or SYNC): {@code $<len>} then exactly len bytes, or {@code $EOF:<mark>}. */
  Rdb readRdb() {
    return readRdb(rdbHeader());
  }

  /** The line that announces the RDB, after any keepalives. */
  String rdbHeader() {
    return lineSkippingKeepalives();
  }

  /** The RDB announced by {@code head}. */
  Rdb readRdb(String head) {
    try {
      if (head.startsWith("$EOF:")) {
        byte[] mark = head.substring(5).getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[64 * 1024];
        int n = 0;
        while (true) {
          int c = in.read();
          if (c < 0) throw new EOFException("connection closed inside the RDB after " + n + " bytes");
          if (n == b.length) b = Arrays.copyOf(b, b.length * 2);
          b[n++] = (byte) c;
          if (n >= mark.length && c == mark[mark.length - 1]
              && Arrays.equals(b, n - mark.length, n, mark, 0, mark.length)) {
            return new Rdb(head, Arrays.copyOf(b, n - mark.length));
          }
        }
      }
      if (!head.startsWith("$")) throw new AssertionError("not an RDB header: " + head);
      int len = Integer.parseInt(head.substring(1));
      byte[] payload = in.readNBytes(len);
      if (payload.length < len) throw new EOFException("connection closed inside the RDB after " + payload.length
          + " of " + len + " bytes");
      return new Rdb(head, payload);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The RDB payload and the header line that announced it. */
  record Rdb(String header, byte[] payload) {
    boolean diskless() {
      return header.startsWith("$EOF:");
    }
  }

  /** The next command of the stream. */
  List<String> command() {
    try {
      List<String> c = RespLines.readCommand(in);
      if (c == null) throw new EOFException("connection closed");
      return c;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Bytes read from the master so far. */
  long bytesRead() {
    return in.count;
  }

  void ack(long offset) {
    send("REPLCONF", "ACK", Long.toString(offset));
  }

  void timeout(int millis) {
    try {
      socket.setSoTimeout(millis);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whatever arrives within {@code millis}, raw. */
  byte[] readFor(int millis) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    long deadline = System.currentTimeMillis() + millis;
    try {
      while (System.currentTimeMillis() < deadline) {
        socket.setSoTimeout((int) Math.max(1, deadline - System.currentTimeMillis()));
        try {
          int c = in.read();
          if (c < 0) break;
          b.write(c);
        } catch (SocketTimeoutException e) {
          break;
        }
      }
      socket.setSoTimeout(10_000);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return b.toByteArray();
  }

  /** True when the master closed the connection within {@code millis} (whatever it sent first is skipped). */
  boolean closedByPeer(int millis) {
    long deadline = System.currentTimeMillis() + millis;
    byte[] sink = new byte[64 * 1024];
    try {
      while (System.currentTimeMillis() < deadline) {
        socket.setSoTimeout((int) Math.max(1, deadline - System.currentTimeMillis()));
        try {
          if (in.read(sink, 0, sink.length) < 0) return true;
        } catch (SocketTimeoutException e) {
          return false;
        }
      }
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  int localPort() {
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

  /** Counts the bytes consumed, as a replica counts its offset. */
  private static final class CountingInput extends FilterInputStream {
    long count;

    CountingInput(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int c = super.read();
      if (c >= 0) count++;
      return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) count += n;
      return n;
    }
  }
}
