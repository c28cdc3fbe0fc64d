package dev.vireo.replication.replica;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;

/**
 * The bytes of an RDB transfer on their way from the socket (the link's event loop) to the parser (a worker
 * thread). The link never blocks: {@link #offer} always queues and says when the queue holds more than its bound, so the
 * caller pauses the socket; the parser calls {@code onDrained} once it has taken the queue back under half the
 * bound, so the socket can resume. Memory therefore stays near the bound whatever the transfer's size.
 */
final class TransferStream extends InputStream {
  private final long bound;
  private final Runnable onDrained;
  private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
  private long queued;
  private boolean full;
  private boolean ended;
  private String abortedBecause;
  private byte[] current;
  private int pos;

  /** {@code onDrained} runs on the parser's thread: it must only hand work over to the data loop. */
  TransferStream(long bound, Runnable onDrained) {
    this.bound = bound;
    this.onDrained = onDrained;
  }

  /**
   * Queues {@code b} (which the stream keeps), and ends the stream after it when it is the {@code last} of the RDB
   * (in one step, so the parser never sees the last byte before the end); true when the queue is over its bound and
   * the socket should pause.
   */
  synchronized boolean offer(byte[] b, boolean last) {
    if (ended || abortedBecause != null) return false;
    if (b.length > 0) {
      chunks.addLast(b);
      queued += b.length;
    }
    if (last) ended = true;
    notifyAll();
    if (queued > bound) full = true;
    return full;
  }

  /** True once the last byte of the RDB was queued. */
  synchronized boolean ended() {
    return ended;
  }

  /** The transfer is abandoned: the parser fails at its next read, and the queued bytes are dropped. */
  synchronized void abort(String why) {
    abortedBecause = why;
    chunks.clear();
    queued = 0;
    notifyAll();
  }

  /** Next chunk for the parser, or null at the end; waits for the data loop to queue one. */
  private byte[] take() throws IOException {
    boolean drained = false;
    byte[] b;
    synchronized (this) {
      while (true) {
        if (abortedBecause != null) throw new IOException(abortedBecause);
        b = chunks.pollFirst();
        if (b != null || ended) break;
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the transfer");
        }
      }
      if (b != null) queued -= b.length;
      if (full && queued <= bound / 2) {
        full = false;
        drained = true;
      }
    }
    if (drained) onDrained.run();
    return b;
  }

  private boolean fill() throws IOException {
    while (current == null || pos == current.length) {
      current = take();
      pos = 0;
      if (current == null) return false;
    }
    return true;
  }

  @Override
  public int read() throws IOException {
    if (!fill()) return -1;
    return current[pos++] & 0xff;
  }

  @Override
  public int read(byte[] dst, int off, int len) throws IOException {
    if (len == 0) return 0;
    if (!fill()) return -1;
    int n = Math.min(len, current.length - pos);
    System.arraycopy(current, pos, dst, off, n);
    pos += n;
    return n;
  }
}
