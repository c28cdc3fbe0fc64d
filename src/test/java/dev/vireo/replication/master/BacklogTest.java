package dev.vireo.replication.master;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The shared replication buffer: one copy of the stream, the backlog and the replicas as references into it, blocks
 * freed when nobody needs them. Readers are driven as the fan-out drives them (a slice handed, then written).
 */
class BacklogTest {
  private static final int BLOCK = Backlog.BLOCK_BYTES + Backlog.BLOCK_OVERHEAD;

  private static byte[] bytes(Random rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  /** Everything the reader can be sent now, each slice written out at once. */
  private static byte[] drain(Backlog.Reader r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Backlog.Slice s = r.next(); s != null; s = r.next()) {
      out.writeBytes(s.bytes().getBytes());
      r.written(s);
    }
    return out.toByteArray();
  }

  @Test
  void theBacklogKeepsItsSizeAndFreesBlocksBehindIt() {
    Backlog b = new Backlog(Backlog.MIN_SIZE * 4, 100);
    assertEquals(0, b.memory());
    assertEquals(101, b.firstByteOffset());
    Random rnd = new Random(1);
    for (int i = 0; i < 1000; i++) b.append(bytes(rnd, 300), 0, 300);
    assertEquals(100 + 300_000, b.lastOffset());
    // at most one block more than the size, never less than the size
    assertTrue(b.histlen() >= b.size() && b.histlen() <= b.size() + Backlog.BLOCK_BYTES, "histlen " + b.histlen());
    assertTrue(b.memory() <= (b.size() / Backlog.BLOCK_BYTES + 2) * BLOCK, "memory " + b.memory());
    assertTrue(b.covers(b.firstByteOffset()));
    assertTrue(b.covers(b.lastOffset() + 1));
    assertTrue(!b.covers(b.firstByteOffset() - 1));
    assertNull(b.readerAt(b.firstByteOffset() - 1));
  }

  @Test
  void readersGetTheStreamFromTheirPlaceInAnySplits() {
    Random rnd = new Random(7);
    Backlog b = new Backlog(Backlog.MIN_SIZE, 0);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    Backlog.Reader first = b.readerFromNext();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    for (int i = 0; i < 400; i++) {
      int n = rnd.nextInt(i % 50 == 0 ? 40_000 : 700) + 1;
      byte[] d = bytes(rnd, n);
      all.writeBytes(d);
      b.append(d, 0, n);
      if (rnd.nextInt(3) == 0) got.writeBytes(drain(first));
    }
    got.writeBytes(drain(first));
    assertArrayEquals(all.toByteArray(), got.toByteArray());
    // a partial resynchronization from any offset the backlog covers gets the exact tail of the stream
    byte[] stream = all.toByteArray();
    for (long off = b.firstByteOffset(); off <= b.lastOffset() + 1; off += 977) {
      Backlog.Reader r = b.readerAt(off);
      assertNotNull(r);
      byte[] tail = drain(r);
      assertEquals(b.lastOffset() + 1 - off, tail.length);
      assertArrayEquals(Arrays.copyOfRange(stream, (int) off - 1, stream.length), tail);
      r.release();
    }
  }

  @Test
  void aReaderThatReadsNothingKeepsTheBlocksOnceForAll() {
    Random rnd = new Random(3);
    Backlog b = new Backlog(Backlog.MIN_SIZE * 4, 0);
    Backlog.Reader live = b.readerFromNext();
    Backlog.Reader stopped1 = b.readerFromNext();
    Backlog.Reader stopped2 = b.readerFromNext();
    for (int i = 0; i < 2000; i++) {
      b.append(bytes(rnd, 500), 0, 500);
      drain(live);
    }
    // one copy: the memory is the stream since the readers started, not once per reader
    long streamBlocks = (1_000_000 + Backlog.BLOCK_BYTES - 1) / Backlog.BLOCK_BYTES;
    assertEquals(streamBlocks * BLOCK, b.memory());
    assertEquals(b.memory(), stopped1.share());
    assertEquals(b.memory(), stopped2.share());
    assertEquals(BLOCK, live.share());
    assertEquals(1_000_000, b.histlen());
    // one stopped reader goes: the other still keeps everything
    stopped1.release();
    assertEquals(streamBlocks * BLOCK, b.memory());
    // the second resumes: as it writes out, the blocks behind it go, down to the backlog's size
    drain(stopped2);
    assertTrue(b.histlen() <= b.size() + Backlog.BLOCK_BYTES, "histlen " + b.histlen());
    assertEquals(BLOCK, stopped2.share());
    assertEquals(0, stopped1.share());
  }

  @Test
  void aSliceHandedButNotYetWrittenKeepsItsBlock() {
    Backlog b = new Backlog(Backlog.MIN_SIZE, 0);
    Backlog.Reader r = b.readerFromNext();
    byte[] d = new byte[Backlog.BLOCK_BYTES];
    b.append(d, 0, d.length);
    Backlog.Slice s = r.next();
    assertEquals(Backlog.BLOCK_BYTES, s.bytes().length());
    for (int i = 0; i < 10; i++) b.append(d, 0, d.length);
    // the first block is handed to the socket, not written out: the reader still holds it
    assertEquals(11L * BLOCK, b.memory());
    assertEquals(11L * BLOCK, r.share());
    r.written(s);
    assertEquals(10L * BLOCK, r.share());
    Backlog.Reader copy = b.copy(r);
    assertEquals(r.share(), copy.share());
  }
}
