package dev.vireo.server;

import java.util.Arrays;

/** A key as a map key: a byte string compared by content. */
public record ByteKey(int db, byte[] key) {
  @Override
  public boolean equals(Object o) {
    return o instanceof ByteKey k && k.db == db && Arrays.equals(k.key, key);
  }

  @Override
  public int hashCode() {
    return 31 * db + Arrays.hashCode(key);
  }
}
