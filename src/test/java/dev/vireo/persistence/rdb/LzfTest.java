package dev.vireo.persistence.rdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ning.compress.lzf.impl.VanillaChunkDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The LZF compressor: blocks the decoder reads back, the output limit, and fixed outputs recorded from Redis. */
class LzfTest {
  private static byte[] roundTrip(Lzf lzf, byte[] in, int limit) throws Exception {
    byte[] out = new byte[in.length + 1];
    int clen = lzf.compress(in, in.length, out, limit);
    if (clen == 0) {
      return null;
    }
    assertTrue(clen <= limit, "wrote " + clen + " past the limit " + limit);
    byte[] plain = new byte[in.length];
    new VanillaChunkDecoder().decodeChunk(out, 0, plain, 0, plain.length);
    assertArrayEquals(in, plain);
    return Arrays.copyOf(out, clen);
  }

  @Test
  void blocksDecodeBackForManyShapesAndSizes() throws Exception {
    Lzf lzf = new Lzf();
    Random random = new Random(3);
    int compressed = 0;
    for (int n = 0; n < 3000; n++) {
      int len = 1 + random.nextInt(n < 2500 ? 400 : 70000);
      int alphabet = 1 + random.nextInt(n % 3 == 0 ? 2 : 256);
      byte[] in = new byte[len];
      for (int i = 0; i < len; i++) {
        in[i] = (byte) random.nextInt(alphabet);
      }
      if (roundTrip(lzf, in, Math.max(1, len - 4)) != null) {
        compressed++;
      }
      roundTrip(lzf, in, len + 1); // room enough: incompressible input still makes a block
    }
    assertTrue(compressed > 1000, "compressed " + compressed);
  }

  @Test
  void redisOutputsRecorded() throws Exception {
    // recorded from redis-server 7.0.15: SET k <value>, DUMP k, the LZF block inside the payload
    Lzf lzf = new Lzf();
    byte[] abab = "ab".repeat(11).getBytes(StandardCharsets.ISO_8859_1); // 22 bytes
    // a match never refers to the first byte: "aba" goes literal, then 19 bytes from one back
    assertEquals("02 61 62 61 e0 0a 01", hex(roundTrip(lzf, abab, abab.length - 4)));
    // the longest match stops two bytes before the end, which go literal
    byte[] a = "a".repeat(30).getBytes(StandardCharsets.ISO_8859_1);
    assertEquals("01 61 61 e0 11 00 01 61 61", hex(roundTrip(lzf, a, a.length - 4)));
  }

  private static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(sb.length() == 0 ? "" : " ").append(String.format("%02x", x & 0xFF));
    }
    return sb.toString();
  }
}
