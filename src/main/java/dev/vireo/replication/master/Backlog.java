package dev.vireo.replication.master;

import io.vertx.core.buffer.Buffer;

/**
 * The replication backlog: the last {@code repl-backlog-size} bytes of the replication stream in a circular
 * buffer, so that a replica whose link dropped can continue from the byte it is missing ({@code +CONTINUE})
 * instead of loading the whole dataset again. Offsets are those of the stream: the byte at offset {@code o} is the
 * {@code o}-th byte ever fed (the first byte is offset 1, as in Redis). Data loop only.
 */
public final class Backlog {
  /** The smallest backlog, whatever repl-backlog-size says (Redis's minimum). */
  public static final long MIN_SIZE = 16 * 1024;

  private byte[] ring;
  /** Where the next byte goes in {@link #ring}. */
  private int head;
  /** Bytes held, at most the ring's length (repl_backlog_histlen). */
  private int histlen;
  /** The offset of the last byte fed (master_repl_offset when the backlog follows the node's stream). */
  private long lastOffset;

  /** An empty backlog of {@code size} bytes that continues a stream whose last byte was {@code offset}. */
  public Backlog(long size, long offset) {
    ring = new byte[capacity(size)];
    lastOffset = offset;
  }

  private static int capacity(long size) {
    return (int) Math.max(MIN_SIZE, Math.min(size, Integer.MAX_VALUE - 8));
  }

  public void append(byte[] b, int off, int len) {
    lastOffset += len;
    if (len >= ring.length) {
      // only the tail fits
      System.arraycopy(b, off + len - ring.length, ring, 0, ring.length);
      head = 0;
      histlen = ring.length;
      return;
    }
    int first = Math.min(len, ring.length - head);
    System.arraycopy(b, off, ring, head, first);
    if (first < len) System.arraycopy(b, off + first, ring, 0, len - first);
    head = (head + len) % ring.length;
    histlen = Math.min(ring.length, histlen + len);
  }

  public void append(Buffer b) {
    append(b.getBytes(), 0, b.length());
  }

  /** repl_backlog_first_byte_offset. */
  public long firstByteOffset() {
    return lastOffset - histlen + 1;
  }

  public long histlen() {
    return histlen;
  }

  public long size() {
    return ring.length;
  }

  public long lastOffset() {
    return lastOffset;
  }

  /** True when every byte from {@code offset} (the first byte a replica lacks) on is here. */
  public boolean covers(long offset) {
    return offset >= firstByteOffset() && offset <= lastOffset + 1;
  }

  /** The bytes from {@code offset} to the end; {@link #covers} must hold. */
  public Buffer from(long offset) {
    int n = (int) (lastOffset + 1 - offset);
    byte[] out = new byte[n];
    int start = Math.floorMod(head - n, ring.length);
    int first = Math.min(n, ring.length - start);
    System.arraycopy(ring, start, out, 0, first);
    if (first < n) System.arraycopy(ring, 0, out, first, n - first);
    return Buffer.buffer(out);
  }

  /** CONFIG SET repl-backlog-size: keeps the most recent bytes that fit in the new size. */
  public void resize(long size) {
    int cap = capacity(size);
    if (cap == ring.length) return;
    int keep = Math.min(histlen, cap);
    byte[] tail = keep == 0 ? new byte[0] : from(lastOffset + 1 - keep).getBytes();
    ring = new byte[cap];
    System.arraycopy(tail, 0, ring, 0, keep);
    head = keep % cap;
    histlen = keep;
  }
}
