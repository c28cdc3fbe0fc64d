package dev.vireo.persistence.rdb;

import java.util.Arrays;

/**
 * LZF compression with the exact choices Redis's compressor makes (liblzf 3.6 as Redis builds it: a 2^16-slot
 * hash of three bytes, the "very fast" re-hashing after a match, matches up to 264 bytes and 8 KB back), so that a
 * compressed string is byte-for-byte what Redis writes. The block format:
 *
 * <pre>
 * 000LLLLL + L+1 literal bytes | LLLooooo oooooooo: copy L+2 bytes from o+1 back | 111ooooo LLLLLLLL oooooooo: L+9
 * </pre>
 *
 * Quirks kept on purpose, since they shape the output: a match never starts at the first input byte, and the
 * output limit is checked conservatively (a block that would just fit can still be refused). Redis leaves its
 * hash table uninitialised; this one starts empty, the deterministic choice Redis gets on a fresh table.
 * Not thread-safe: one instance per writer.
 */
final class Lzf {
  private static final int HLOG = 16;
  private static final int HSIZE = 1 << HLOG;
  private static final int MAX_LIT = 1 << 5;
  private static final int MAX_OFF = 1 << 13;
  private static final int MAX_REF = (1 << 8) + (1 << 3);

  /** Input offsets by hash; 0 is "none" (a match at offset 0 is never taken anyway). */
  private final int[] table = new int[HSIZE];
  /** Which call wrote each slot: a slot of an earlier call reads as empty, so the table is not cleared per call. */
  private final int[] stamps = new int[HSIZE];
  private int call;

  private static int idx(int h) {
    return ((h >>> (3 * 8 - HLOG)) - h * 5) & (HSIZE - 1);
  }

  /**
   * Compresses {@code in} into {@code out}, writing at most {@code outLen} bytes; returns the compressed length,
   * or 0 when it does not fit (or the input is empty), as Redis's compressor does.
   */
  int compress(byte[] in, int inLen, byte[] out, int outLen) {
    if (inLen == 0 || outLen == 0) {
      return 0;
    }
    if (++call == 0) { // wrapped: start over
      Arrays.fill(stamps, 0);
      call = 1;
    }
    int ip = 0;
    int op = 0;
    int lit = 0;
    op++; // start a literal run
    int hval = ((in[0] & 0xFF) << 8) | (inLen > 1 ? in[1] & 0xFF : 0);
    while (ip < inLen - 2) {
      hval = (hval << 8) | (in[ip + 2] & 0xFF);
      int slot = idx(hval);
      int ref = stamps[slot] == call ? table[slot] : 0;
      table[slot] = ip;
      stamps[slot] = call;
      int off = ip - ref - 1;
      if (ref > 0 && off >= 0 && off < MAX_OFF && in[ref + 2] == in[ip + 2] && in[ref] == in[ip]
          && in[ref + 1] == in[ip + 1]) {
        int len = 2;
        int maxlen = inLen - ip - len;
        if (maxlen > MAX_REF) {
          maxlen = MAX_REF;
        }
        if (op + 3 + 1 >= outLen && op - (lit == 0 ? 1 : 0) + 3 + 1 >= outLen) {
          return 0;
        }
        out[op - lit - 1] = (byte) (lit - 1); // close the literal run
        if (lit == 0) {
          op--; // drop an empty run
        }
        len = matchLength(in, ref, ip, len, maxlen);
        len -= 2;
        ip++;
        if (len < 7) {
          out[op++] = (byte) ((off >>> 8) + (len << 5));
        } else {
          out[op++] = (byte) ((off >>> 8) + (7 << 5));
          out[op++] = (byte) (len - 7);
        }
        out[op++] = (byte) off;
        lit = 0;
        op++; // start a literal run
        ip += len + 1;
        if (ip >= inLen - 2) {
          break;
        }
        // re-hash the last two positions of the match
        ip -= 2;
        hval = ((in[ip] & 0xFF) << 8) | (in[ip + 1] & 0xFF);
        hval = (hval << 8) | (in[ip + 2] & 0xFF);
        put(idx(hval), ip);
        ip++;
        hval = (hval << 8) | (in[ip + 2] & 0xFF);
        put(idx(hval), ip);
        ip++;
      } else {
        if (op >= outLen) {
          return 0;
        }
        lit++;
        out[op++] = in[ip++];
        if (lit == MAX_LIT) {
          out[op - lit - 1] = (byte) (lit - 1);
          lit = 0;
          op++;
        }
      }
    }
    if (op + 3 > outLen) {
      return 0;
    }
    while (ip < inLen) {
      lit++;
      out[op++] = in[ip++];
      if (lit == MAX_LIT) {
        out[op - lit - 1] = (byte) (lit - 1);
        lit = 0;
        op++;
      }
    }
    out[op - lit - 1] = (byte) (lit - 1); // close the last run
    if (lit == 0) {
      op--;
    }
    return op;
  }

  private void put(int slot, int ip) {
    table[slot] = ip;
    stamps[slot] = call;
  }

  /**
   * How many bytes match from {@code ip} against {@code ref} (the first three are known to), walking as Redis's
   * compressor walks: when more than 16 may match, 16 steps checked one by one first (which may run one past
   * {@code maxlen}), then byte by byte up to {@code maxlen}.
   */
  private static int matchLength(byte[] in, int ref, int ip, int len, int maxlen) {
    if (maxlen > 16) {
      for (int i = 0; i < 16; i++) {
        len++;
        if (in[ref + len] != in[ip + len]) {
          return len;
        }
      }
    }
    do {
      len++;
    } while (len < maxlen && in[ref + len] == in[ip + len]);
    return len;
  }
}
