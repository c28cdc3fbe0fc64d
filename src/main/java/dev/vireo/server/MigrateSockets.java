package dev.vireo.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * MIGRATE's connections to its targets, kept open between calls as Redis keeps them: one per {@code host:port} as
 * the client wrote them, at most {@value #MAX_ITEMS} (a random one is dropped for a new one), closed after
 * {@value #IDLE_SECONDS} s unused (by the cron). Each remembers the database it last selected, so a MIGRATE to the
 * same database sends no SELECT.
 *
 * <p>The I/O is synchronous, on the data loop, bounded by the command's timeout: MIGRATE is atomic in Redis
 * because the server waits for its target, and the same holds here. Every wait uses a deadline on a selector, so
 * neither a target that stops reading nor one that never answers holds the loop past the timeout. Data loop only.
 */
public final class MigrateSockets {
  static final int MAX_ITEMS = 64;
  static final int IDLE_SECONDS = 10;

  private final Map<String, Conn> cached = new LinkedHashMap<>();

  /** A blocking-style connection with deadlines, and the database it has selected (-1: unknown). */
  public static final class Conn {
    private final SocketChannel ch;
    private final Selector selector;
    private final ByteBuffer in = ByteBuffer.allocate(16 * 1024).flip();
    public long lastDbid = -1;
    private boolean refused;
    long lastUseMillis;

    private Conn(SocketChannel ch, Selector selector) {
      this.ch = ch;
      this.selector = selector;
    }

    /** Writes all of {@code bytes} within {@code timeoutMillis}. */
    public void write(byte[] bytes, long timeoutMillis) throws IOException {
      if (refused) throw new IOException("connection refused");
      long deadline = System.currentTimeMillis() + timeoutMillis;
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        if (ch.write(b) == 0) await(SelectionKey.OP_WRITE, deadline);
      }
    }

    /**
     * Reads one line within {@code timeoutMillis}, without its CR LF, and at most {@code max} bytes of it (the
     * rest of a longer line is dropped, as Redis reads a reply line into a fixed buffer).
     */
    public String readLine(int max, long timeoutMillis) throws IOException {
      long deadline = System.currentTimeMillis() + timeoutMillis;
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      while (true) {
        while (in.hasRemaining()) {
          byte c = in.get();
          if (c == '\n') {
            byte[] b = line.toByteArray();
            int n = Math.min(max, b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length);
            return new String(b, 0, n, StandardCharsets.ISO_8859_1);
          }
          line.write(c);
        }
        in.clear();
        int n;
        while ((n = ch.read(in)) == 0) await(SelectionKey.OP_READ, deadline);
        in.flip();
        if (n < 0) throw new IOException("connection closed by the target");
      }
    }

    private void await(int op, long deadline) throws IOException {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) throw new SocketTimeoutException();
      SelectionKey k = ch.register(selector, op);
      try {
        if (selector.select(left) == 0) throw new SocketTimeoutException();
      } finally {
        k.interestOps(0);
        selector.selectedKeys().clear();
      }
    }

    void close() {
      try {
        selector.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      try {
        ch.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  /**
   * The cached connection to {@code host:port}, or a new one connected within {@code timeoutMillis}; null when
   * the name does not resolve or the connection times out. A refused connection is returned, and fails on its
   * first write, as in Redis (whose MIGRATE then answers that writing failed).
   */
  public Conn get(String host, String port, long timeoutMillis) {
    String name = host + ":" + port;
    long now = System.currentTimeMillis();
    Conn c = cached.get(name);
    if (c != null) {
      c.lastUseMillis = now;
      return c;
    }
    if (cached.size() >= MAX_ITEMS) {
      List<String> names = new ArrayList<>(cached.keySet());
      close(names.get(ThreadLocalRandom.current().nextInt(names.size())));
    }
    c = connect(host, atoi(port), timeoutMillis);
    if (c == null) return null;
    c.lastUseMillis = now;
    cached.put(name, c);
    return c;
  }

  /** Closes and forgets the connection to {@code host:port}, if any. */
  public void close(String host, String port) {
    close(host + ":" + port);
  }

  private void close(String name) {
    Conn c = cached.remove(name);
    if (c != null) c.close();
  }

  /** Closes the connections unused for {@value #IDLE_SECONDS} s (cron). */
  void closeIdle(long now) {
    for (Iterator<Conn> it = cached.values().iterator(); it.hasNext(); ) {
      Conn c = it.next();
      if (now - c.lastUseMillis > IDLE_SECONDS * 1000L) {
        c.close();
        it.remove();
      }
    }
  }

  /** Closes them all (the node stops). */
  void closeAll() {
    for (Conn c : cached.values()) c.close();
    cached.clear();
  }

  private static Conn connect(String host, int port, long timeoutMillis) {
    SocketChannel ch = null;
    Selector sel = null;
    try {
      InetSocketAddress addr = new InetSocketAddress(host, port);
      if (addr.isUnresolved()) return null;
      ch = SocketChannel.open();
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      sel = Selector.open();
      Conn c = new Conn(ch, sel);
      long deadline = System.currentTimeMillis() + timeoutMillis;
      try {
        if (!ch.connect(addr)) {
          c.await(SelectionKey.OP_CONNECT, deadline);
          if (!ch.finishConnect()) throw new SocketTimeoutException();
        }
      } catch (SocketTimeoutException e) {
        throw e;
      } catch (IOException e) {
        // as Redis's blocking connect, a refused connection is only found by the first write
        c.refused = true;
      }
      return c;
    } catch (IOException | RuntimeException e) {
      if (sel != null) {
        try {
          sel.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
      return null;
    }
  }

  /** The port as C's atoi reads it: leading digits after optional blanks and sign, 0 when there are none. */
  static int atoi(String s) {
    int i = 0;
    int n = s.length();
    while (i < n && Character.isWhitespace(s.charAt(i))) i++;
    boolean neg = i < n && s.charAt(i) == '-';
    if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) i++;
    long v = 0;
    while (i < n && Character.isDigit(s.charAt(i)) && v < 1_000_000) v = v * 10 + (s.charAt(i++) - '0');
    return (int) (neg ? -v : v);
  }
}
