package dev.vireo.command;

/** Redis's two rules for turning a user's start/end (negative counts from the end) into an inclusive span. */
final class Ranges {
  private Ranges() {}

  /** An inclusive span of indexes. */
  record Span(long first, long last) {
    long length() {
      return last - first + 1;
    }
  }

  /**
   * Element indexes (LRANGE, LTRIM, ZRANGE by rank...): start clamped to 0, end to the last element; null when
   * nothing is in range.
   */
  static Span ofIndexes(long start, long end, long size) {
    if (start < 0) start += size;
    if (end < 0) end += size;
    if (start < 0) start = 0;
    if (start > end || start >= size) return null;
    if (end >= size) end = size - 1;
    return new Span(start, end);
  }

  /**
   * Byte or bit offsets in a string (GETRANGE, BITCOUNT, BITPOS): both ends clamped into [0, total - 1]; null when
   * nothing is in range.
   */
  static Span ofString(long start, long end, long total) {
    if (start < 0) start += total;
    if (end < 0) end += total;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= total) end = total - 1;
    return start > end ? null : new Span(start, end);
  }
}
