package dev.vireo.replication.master;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The replication buffer, shared as in Redis 7.0: the stream is held once, in a list of blocks, and both the
 * backlog (the last {@code repl-backlog-size} bytes, so that a replica whose link dropped can continue with
 * {@code +CONTINUE}) and every replica's pending output are references into it. A block is freed when neither the
 * backlog nor any {@link Reader} still needs it: two replicas do not double the memory, and a replica that reads
 * nothing keeps only its reference while the list grows behind it. Blocks are Vert.x {@code Buffer}s; what a
 * replica is sent is a slice of one (a view, no copy).
 *
 * <p>Offsets are those of the stream: the byte at offset {@code o} is the {@code o}-th byte ever fed (the first
 * byte is offset 1, as in Redis). Memory is counted as Redis counts it ({@code mem_total_replication_buffers}): each
 * block's capacity plus a fixed overhead for its bookkeeping objects.
 *
 * <p>Threads: the data loop feeds it, attaches and releases readers and reads its figures; the fan-out verticle
 * takes slices for the replicas it streams to; socket write completions (on the data loop) move a reader's
 * reference on. Every access to its state holds its monitor; no I/O happens under it.
 */
public final class Backlog {
  /** The smallest backlog, whatever repl-backlog-size says (Redis's minimum). */
  public static final long MIN_SIZE = 16 * 1024;
  /** The capacity of a block unless one write is larger (PROTO_REPLY_CHUNK_BYTES). */
  static final int BLOCK_BYTES = 16 * 1024;
  /**
   * What a block costs beyond its bytes, about: the block record, the Buffer and the ByteBuf wrapping its array, the
   * array's header. Redis counts its list node and block header the same way (64 bytes there).
   */
  static final int BLOCK_OVERHEAD = 128;
  /** Blocks freed by one trim from the head (REPL_BACKLOG_TRIM_BLOCKS_PER_CALL). */
  static final int TRIM_BLOCKS_PER_CALL = 10;

  /** One block of the stream; {@link #used} only grows, and only the last block is ever written to. */
  static final class Block {
    final long id;
    /** The stream offset of its first byte. */
    final long offset;
    final int capacity;
    final Buffer data;
    int used;
    /** The backlog and the readers whose first unsent byte is here. */
    int refcount;
    Block next;

    Block(long id, long offset, int capacity) {
      this.id = id;
      this.offset = offset;
      this.capacity = capacity;
      this.data = Buffer.buffer(capacity);
    }
  }

  /**
   * A replica's place in the stream. It holds one reference, on the block of the first byte not yet written out
   * ({@code block}, {@code acked}); {@code sendBlock}/{@code sendPos} is how far the fan-out has handed bytes to the
   * socket. A reader created for a full resynchronization starts with the first byte fed after it ({@code
   * waiting}), as Redis's replica does, so it holds nothing until the stream moves.
   */
  static final class Reader {
    final Backlog backlog;
    Block block;
    /** Bytes of {@link #block} written out. */
    int acked;
    Block sendBlock;
    int sendPos;
    boolean waiting;
    boolean released;

    Reader(Backlog backlog) {
      this.backlog = backlog;
    }

    /** The replica is gone: its reference goes, and the blocks only it kept are freed. */
    void release() {
      backlog.release(this);
    }

    /** What this replica keeps of the buffer (getClientOutputBufferMemoryUsage). */
    long share() {
      return backlog.share(this);
    }

    /** The next bytes to hand to the socket, or null when everything fed so far was handed. */
    Slice next() {
      return backlog.next(this);
    }

    /** The socket wrote {@code s} out. */
    void written(Slice s) {
      backlog.written(this, s.block(), s.end());
    }

    boolean released() {
      synchronized (backlog) {
        return released;
      }
    }
  }

  /** What to write next for a reader: a slice of one block. */
  record Slice(Buffer bytes, Block block, int end) {}

  private long size;
  /** The first block (the backlog's reference) and the one being filled. */
  private Block head;
  private Block tail;
  private long nextId;
  /** Bytes from the backlog's first byte to the last fed (repl_backlog_histlen). */
  private long histlen;
  /** The offset of the last byte fed (master_repl_offset when the backlog follows the node's stream). */
  private long lastOffset;
  /** Blocks' capacities and overheads (repl_buffer_mem). */
  private long memory;
  private final List<Reader> waiting = new ArrayList<>();

  /** An empty backlog of {@code size} bytes that continues a stream whose last byte was {@code offset}. */
  public Backlog(long size, long offset) {
    this.size = Math.max(MIN_SIZE, size);
    this.lastOffset = offset;
  }

  public void append(byte[] b, int off, int len) {
    append(b, null, off, len);
  }

  public void append(Buffer b) {
    append(null, b, 0, b.length());
  }

  private synchronized void append(byte[] bytes, Buffer buf, int off, int len) {
    if (len == 0) return;
    Block start = null;
    int startPos = 0;
    if (tail != null && tail.used < tail.capacity) {
      start = tail;
      startPos = tail.used;
      int k = Math.min(len, tail.capacity - tail.used);
      put(tail, bytes, buf, off, k);
      off += k;
      len -= k;
    }
    boolean added = false;
    if (len > 0) {
      Block b = new Block(nextId++, lastOffset + 1, Math.max(BLOCK_BYTES, len));
      put(b, bytes, buf, off, len);
      memory += b.capacity + BLOCK_OVERHEAD;
      if (tail != null) tail.next = b;
      tail = b;
      added = true;
      if (start == null) {
        start = b;
        startPos = 0;
      }
    }
    if (head == null) {
      head = start;
      head.refcount++;
    }
    for (Reader r : waiting) {
      r.block = start;
      r.acked = startPos;
      r.sendBlock = start;
      r.sendPos = startPos;
      r.waiting = false;
      start.refcount++;
    }
    waiting.clear();
    if (added) trim(TRIM_BLOCKS_PER_CALL);
  }

  private void put(Block b, byte[] bytes, Buffer buf, int off, int len) {
    if (bytes != null) b.data.appendBytes(bytes, off, len);
    else b.data.appendBuffer(buf, off, len);
    b.used += len;
    lastOffset += len;
    histlen += len;
  }

  /**
   * Frees blocks from the head while the backlog holds more than its size without them and nobody else refers
   * to them (incrementalTrimReplicationBacklog); at least one block stays.
   */
  synchronized void trim(int maxBlocks) {
    for (int n = 0; n < maxBlocks && histlen > size && head != null && head.next != null; n++) {
      if (head.refcount != 1 || histlen - head.used <= size) break;
      Block first = head;
      first.refcount--;
      histlen -= first.used;
      memory -= first.capacity + BLOCK_OVERHEAD;
      head = first.next;
      head.refcount++;
      first.next = null;
    }
  }

  /** repl_backlog_first_byte_offset. */
  public synchronized long firstByteOffset() {
    return lastOffset - histlen + 1;
  }

  public synchronized long histlen() {
    return histlen;
  }

  /** repl-backlog-size. */
  public synchronized long size() {
    return size;
  }

  public synchronized long lastOffset() {
    return lastOffset;
  }

  /** The bytes its blocks take (mem_total_replication_buffers). */
  public synchronized long memory() {
    return memory;
  }

  /** True when every byte from {@code offset} (the first byte a replica lacks) on is here. */
  public synchronized boolean covers(long offset) {
    return offset >= firstByteOffset() && offset <= lastOffset + 1;
  }

  /** CONFIG SET repl-backlog-size: the history shrinks to the new size as far as no replica needs it. */
  public synchronized void resize(long newSize) {
    size = Math.max(MIN_SIZE, newSize);
    trim(Integer.MAX_VALUE);
  }

  // ---------------------------------------------------------------- readers

  /** A reader that gets every byte fed from now on (a replica about to load a snapshot of this offset). */
  synchronized Reader readerFromNext() {
    Reader r = new Reader(this);
    r.waiting = true;
    waiting.add(r);
    return r;
  }

  /**
   * A reader starting at {@code offset} (a partial resynchronization), or null when the backlog no longer holds
   * that byte.
   */
  synchronized Reader readerAt(long offset) {
    if (!covers(offset)) return null;
    if (head == null) return readerFromNext();
    Block b = head;
    while (b.next != null && offset >= b.offset + b.used) b = b.next;
    Reader r = new Reader(this);
    r.block = b;
    r.acked = (int) (offset - b.offset);
    r.sendBlock = b;
    r.sendPos = r.acked;
    b.refcount++;
    return r;
  }

  /** A second reader at the same place (a replica joining a snapshot another one waits for). */
  synchronized Reader copy(Reader from) {
    if (from.released || from.waiting || from.block == null) return readerFromNext();
    Reader r = new Reader(this);
    r.block = from.block;
    r.acked = from.acked;
    r.sendBlock = from.block;
    r.sendPos = from.acked;
    r.block.refcount++;
    return r;
  }

  private synchronized void release(Reader r) {
    if (r.released) return;
    r.released = true;
    waiting.remove(r);
    if (r.block != null) r.block.refcount--;
    r.block = null;
    r.sendBlock = null;
    trim(Integer.MAX_VALUE);
  }

  /**
   * The memory a reader keeps (getClientOutputBufferMemoryUsage for a replica): from the start of its block to the
   * end of the last one, with each block's overhead. What client-output-buffer-limit replica is checked against.
   */
  private synchronized long share(Reader r) {
    if (r.released || r.block == null) return 0;
    return tail.offset + tail.capacity - r.block.offset + (long) BLOCK_OVERHEAD * (tail.id - r.block.id + 1);
  }

  private synchronized Slice next(Reader r) {
    if (r.released || r.sendBlock == null) return null;
    Block b = r.sendBlock;
    if (r.sendPos == b.used && b.used == b.capacity && b.next != null) {
      b = r.sendBlock = b.next;
      r.sendPos = 0;
    }
    if (r.sendPos == b.used) return null;
    int from = r.sendPos;
    r.sendPos = b.used;
    return new Slice(b.data.slice(from, b.used), b, b.used);
  }

  /**
   * The socket wrote a slice out: writes complete in order, so every block before it is out too. Once a whole block
   * is out the reader's reference moves to the next one, and the head may be freed.
   */
  private synchronized void written(Reader r, Block b, int end) {
    if (r.released || r.block == null || b.id < r.block.id) return;
    boolean moved = false;
    while (r.block != b && r.block.next != null) {
      moveOn(r);
      moved = true;
    }
    if (r.block == b) {
      r.acked = Math.max(r.acked, end);
      if (r.acked == b.capacity && b.next != null) {
        moveOn(r);
        moved = true;
      }
    }
    if (moved) trim(TRIM_BLOCKS_PER_CALL);
  }

  /** The reader's block is all out: its reference moves to the next block (so does its send position, if there). */
  private static void moveOn(Reader r) {
    Block done = r.block;
    done.refcount--;
    r.block = done.next;
    r.block.refcount++;
    r.acked = 0;
    if (r.sendBlock == done) {
      r.sendBlock = r.block;
      r.sendPos = 0;
    }
  }
}
