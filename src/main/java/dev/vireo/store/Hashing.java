package dev.vireo.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;

/** A seeded byte-string hash: fast, and keyed per process so that colliding keys cannot be precomputed. */
public final class Hashing {
  private static final long SEED = new SecureRandom().nextLong();
  /** Eight bytes at once, little-endian, at any offset. */
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private Hashing() {}

  public static int hash(byte[] b, int off, int len) {
    long h = SEED ^ (len * 0x9E3779B97F4A7C15L);
    int i = off;
    int end = off + len;
    for (; i + 8 <= end; i += 8) {
      long k = (long) LONGS.get(b, i);
      h = Long.rotateLeft(h ^ (k * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B97F4A7C15L;
    }
    long k = 0;
    for (int s = 0; i < end; i++, s += 8) k |= (b[i] & 0xffL) << s;
    h = Long.rotateLeft(h ^ (k * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B97F4A7C15L;
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    return (int) h;
  }
}
