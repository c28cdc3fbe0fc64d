package dev.vireo.store;

import java.util.Random;

/**
 * PFSELFTEST: Redis's self-test of the HLL encoding, run on {@link HyperLogLog}'s own code. First every dense
 * register is set to a random value and read back (1000 rounds, so a register write that spills into its neighbour
 * shows); then ten million distinct elements go into a dense and a sparse HLL side by side, and at each power of ten
 * the sparse one must still be sparse while small, both must estimate the same cardinality, and the error must stay
 * within six standard errors (1 at cardinality 10).
 */
public final class HyperLogLogSelfTest {
  private HyperLogLogSelfTest() {}

  private static final int CYCLES = 1000;
  private static final int ELEMENTS = 10_000_000;

  /** Null when every check passed, else Redis's TESTFAILED error text. */
  public static String run(long sparseMaxBytes, Random random) {
    byte[] dense = new byte[HyperLogLog.DENSE_SIZE];
    byte[] expected = new byte[HyperLogLog.REGISTERS];
    for (int cycle = 0; cycle < CYCLES; cycle++) {
      for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
        int r = random.nextInt(64);
        expected[i] = (byte) r;
        HyperLogLog.denseSet(dense, i, r);
      }
      for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
        int v = HyperLogLog.denseGet(dense, i);
        if (v != expected[i]) return "TESTFAILED Register " + i + " should be " + expected[i] + " but is " + v;
      }
    }

    dense = new byte[HyperLogLog.DENSE_SIZE];
    HyperLogLog.Value sparse = HyperLogLog.wrap(HyperLogLog.create());
    double relerr = 1.04 / Math.sqrt(HyperLogLog.REGISTERS);
    long checkpoint = 1;
    long seed = random.nextLong();
    byte[] ele = new byte[8];
    for (long j = 1; j <= ELEMENTS; j++) {
      long v = j ^ seed;
      for (int k = 0; k < 8; k++) ele[k] = (byte) (v >>> (8 * k));
      long pattern = HyperLogLog.patternOf(ele, 0, 8);
      HyperLogLog.denseSetIfGreater(dense, (int) pattern, (int) (pattern >>> 32));
      if (HyperLogLog.add(sparse, ele, 0, 8, sparseMaxBytes) < 0) return "TESTFAILED dense/sparse disagree";
      if (j != checkpoint) continue;
      if (j < sparseMaxBytes / 2 && sparse.bytes[4] != HyperLogLog.SPARSE) {
        return "TESTFAILED sparse encoding not used";
      }
      long denseCount = estimate(dense, dense.length);
      if (denseCount != estimate(sparse.bytes, sparse.len)) return "TESTFAILED dense/sparse disagree";
      long abserr = Math.abs(checkpoint - denseCount);
      long maxerr = j == 10 ? 1 : (long) Math.ceil(relerr * 6 * checkpoint);
      if (abserr > maxerr) return "TESTFAILED Too big error. card:" + checkpoint + " abserr:" + abserr;
      checkpoint *= 10;
    }
    return null;
  }

  private static long estimate(byte[] b, int len) {
    int[] h = HyperLogLog.histogram(b, len);
    return h == null ? -1 : HyperLogLog.estimate(h);
  }
}
