package dev.vireo.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An immutable byte string compared by content, for hash fields, set members and sorted-set members: cached hash,
 * and the unsigned lexicographic order of memcmp (Redis's order for equal scores and for BYLEX ranges).
 */
public final class Bytes implements Comparable<Bytes> {
  public static final Bytes EMPTY = new Bytes(new byte[0]);

  private final byte[] b;
  private int hash;

  private Bytes(byte[] b) {
    this.b = b;
  }

  /** Wraps without copying; the array must not change afterwards. */
  public static Bytes wrap(byte[] b) {
    return new Bytes(b);
  }

  public static Bytes copyOf(byte[] buf, int off, int len) {
    return new Bytes(Arrays.copyOfRange(buf, off, off + len));
  }

  public static Bytes of(String s) {
    return new Bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  /** The bytes themselves (not a copy): do not modify. */
  public byte[] array() {
    return b;
  }

  public int length() {
    return b.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes x && (hash == 0 || x.hash == 0 || hash == x.hash) && Arrays.equals(b, x.b);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Hashing.hash(b, 0, b.length);
      if (h == 0) h = 1;
      hash = h;
    }
    return h;
  }

  @Override
  public int compareTo(Bytes o) {
    return Arrays.compareUnsigned(b, o.b);
  }

  @Override
  public String toString() {
    return new String(b, StandardCharsets.UTF_8);
  }
}
