package dev.vireo.config;

import java.util.Locale;

/**
 * Memory amounts as redis.conf writes them: digits with an optional unit, {@code k m g} in powers of 1000 and
 * {@code kb mb gb} in powers of 1024 (case-insensitive), {@code b} or nothing for bytes.
 */
public final class MemoryUnits {
  private static final long KB = 1024;
  private static final long MB = 1024 * KB;
  private static final long GB = 1024 * MB;

  private MemoryUnits() {}

  /** The number of bytes {@code text} stands for, or -1 when it is not a memory value (or overflows). */
  public static long parse(String text) {
    int i = 0;
    int n = text.length();
    while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') i++;
    if (i == 0 || i > 19) return -1;
    long mul = switch (text.substring(i).toLowerCase(Locale.ROOT)) {
      case "", "b" -> 1;
      case "k" -> 1000;
      case "kb" -> KB;
      case "m" -> 1000L * 1000;
      case "mb" -> MB;
      case "g" -> 1000L * 1000 * 1000;
      case "gb" -> GB;
      default -> -1;
    };
    if (mul < 0) return -1;
    try {
      return Math.multiplyExact(Long.parseLong(text, 0, i, 10), mul);
    } catch (NumberFormatException | ArithmeticException e) {
      return -1;
    }
  }

  /** {@code bytes} in the largest binary unit that divides it exactly, the way a rewritten file shows it. */
  public static String format(long bytes) {
    if (bytes != 0 && bytes % GB == 0) return bytes / GB + "gb";
    if (bytes != 0 && bytes % MB == 0) return bytes / MB + "mb";
    if (bytes != 0 && bytes % KB == 0) return bytes / KB + "kb";
    return Long.toString(bytes);
  }
}
