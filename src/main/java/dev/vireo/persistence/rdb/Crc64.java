package dev.vireo.persistence.rdb;

/**
 * The CRC-64 Redis puts at the end of an RDB and of a DUMP payload: Jones polynomial, reflected input and output,
 * initial value 0, no final xor. The check value of {@code "123456789"} is {@code 0xe9c6d914c4b8d9ca}.
 *
 * <p>Table-driven, eight bytes per step (slicing-by-8), so checksumming a large snapshot costs little next to the
 * I/O.
 */
public final class Crc64 {
  /** The Jones polynomial 0xad93d23594c935a9, bit-reversed for the reflected algorithm. */
  private static final long POLY_REFLECTED = 0x95ac9329ac4bc9b5L;

  private static final long[][] TABLES = new long[8][256];

  static {
    for (int i = 0; i < 256; i++) {
      long crc = i;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY_REFLECTED : crc >>> 1;
      }
      TABLES[0][i] = crc;
    }
    for (int i = 0; i < 256; i++) {
      for (int k = 1; k < 8; k++) {
        long previous = TABLES[k - 1][i];
        TABLES[k][i] = (previous >>> 8) ^ TABLES[0][(int) (previous & 0xff)];
      }
    }
  }

  private Crc64() {}

  /** The CRC of {@code bytes}. */
  public static long of(byte[] bytes) {
    return update(0, bytes, 0, bytes.length);
  }

  /** Continues {@code crc} (0 to start) over {@code len} bytes of {@code bytes} from {@code off}. */
  public static long update(long crc, byte[] bytes, int off, int len) {
    if (off < 0 || len < 0 || off > bytes.length - len) {
      throw new IndexOutOfBoundsException("off " + off + ", len " + len + ", array " + bytes.length);
    }
    int i = off;
    int end = off + len;
    long[] t0 = TABLES[0];
    long[] t1 = TABLES[1];
    long[] t2 = TABLES[2];
    long[] t3 = TABLES[3];
    long[] t4 = TABLES[4];
    long[] t5 = TABLES[5];
    long[] t6 = TABLES[6];
    long[] t7 = TABLES[7];
    while (end - i >= 8) {
      long word = (bytes[i] & 0xffL)
          | (bytes[i + 1] & 0xffL) << 8
          | (bytes[i + 2] & 0xffL) << 16
          | (bytes[i + 3] & 0xffL) << 24
          | (bytes[i + 4] & 0xffL) << 32
          | (bytes[i + 5] & 0xffL) << 40
          | (bytes[i + 6] & 0xffL) << 48
          | (bytes[i + 7] & 0xffL) << 56;
      crc ^= word;
      crc = t7[(int) (crc & 0xff)]
          ^ t6[(int) ((crc >>> 8) & 0xff)]
          ^ t5[(int) ((crc >>> 16) & 0xff)]
          ^ t4[(int) ((crc >>> 24) & 0xff)]
          ^ t3[(int) ((crc >>> 32) & 0xff)]
          ^ t2[(int) ((crc >>> 40) & 0xff)]
          ^ t1[(int) ((crc >>> 48) & 0xff)]
          ^ t0[(int) (crc >>> 56)];
      i += 8;
    }
    while (i < end) {
      crc = t0[(int) ((crc ^ bytes[i]) & 0xff)] ^ (crc >>> 8);
      i++;
    }
    return crc;
  }

  /** Continues {@code crc} over one byte. */
  public static long update(long crc, int b) {
    return TABLES[0][(int) ((crc ^ b) & 0xff)] ^ (crc >>> 8);
  }
}
