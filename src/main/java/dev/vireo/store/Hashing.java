package dev.vireo.store;

import java.security.SecureRandom;

/** A seeded byte-string hash: fast, and keyed per process so that colliding keys cannot be precomputed. */
public final class Hashing {
  private static final long SEED = new SecureRandom().nextLong();

  private Hashing() {}

  public static int hash(byte[] b, int off, int len) {
    long h = SEED ^ (len * 0x9E3779B97F4A7C15L);
    int i = off;
    int end = off + len;
    for (; i + 8 <= end; i += 8) {
      long k = (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24
          | (b[i + 4] & 0xffL) << 32 | (b[i + 5] & 0xffL) << 40 | (b[i + 6] & 0xffL) << 48
          | (b[i + 7] & 0xffL) << 56;
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
