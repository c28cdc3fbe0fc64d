package dev.vireo.persistence.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Crc64Test {
  @Test
  void checkValue() {
    assertEquals(0xe9c6d914c4b8d9caL, Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void emptyInputIsZero() {
    assertEquals(0L, Crc64.of(new byte[0]));
  }

  @Test
  void incrementalEqualsWholeAndMatchesBitwise() {
    Random random = new Random(42);
    byte[] data = new byte[10_000];
    random.nextBytes(data);
    long whole = Crc64.of(data);
    assertEquals(bitwise(data), whole);
    for (int trial = 0; trial < 50; trial++) {
      long crc = 0;
      int pos = 0;
      while (pos < data.length) {
        int n = Math.min(data.length - pos, random.nextInt(40));
        crc = Crc64.update(crc, data, pos, n);
        pos += n;
      }
      assertEquals(whole, crc);
    }
    long byteByByte = 0;
    for (byte b : data) {
      byteByByte = Crc64.update(byteByByte, b);
    }
    assertEquals(whole, byteByByte);
  }

  /** The textbook one-bit-at-a-time form, independent of the tables. */
  private static long bitwise(byte[] data) {
    long crc = 0;
    for (byte b : data) {
      crc ^= b & 0xFF;
      for (int i = 0; i < 8; i++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x95ac9329ac4bc9b5L : crc >>> 1;
      }
    }
    return crc;
  }
}
