package dev.vireo.util;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The per-key delays Redis's operators and test tools use to make a slow snapshot or a slow load reproducible
 * ({@code rdb-key-save-delay}, {@code key-load-delay}): microseconds per key; a negative {@code -n} sleeps one
 * microsecond for one key in n on average, as Redis's {@code debugDelay} does. Only ever called off the data loop
 * or while the data loop is loading anyway.
 */
public final class Delays {
  private Delays() {}

  public static void perKey(int micros) {
    if (micros == 0) return;
    if (micros < 0) micros = ThreadLocalRandom.current().nextInt(-micros) == 0 ? 1 : 0;
    if (micros > 0) LockSupport.parkNanos(micros * 1000L);
  }
}
