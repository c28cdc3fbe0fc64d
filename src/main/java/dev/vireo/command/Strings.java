package dev.vireo.command;

import dev.vireo.store.Entry;

/** Access to string values: a string is stored as a {@code byte[]}. */
public final class Strings {
  private Strings() {}

  /** The string value of a live entry, or WRONGTYPE. */
  public static byte[] of(Entry e) {
    if (e.value instanceof byte[] b) return b;
    throw new CommandError(Errors.WRONGTYPE);
  }

  /** OBJECT ENCODING of a string value, by Redis's rules: int, embstr (up to 44 bytes) or raw. */
  public static String encoding(Entry e) {
    byte[] b = (byte[]) e.value;
    if ((e.flags & Entry.RAW) != 0) return "raw";
    if ((e.flags & Entry.NOT_INT) == 0 && b.length <= 20 && Numbers.isLong(b, 0, b.length)) return "int";
    return b.length <= 44 ? "embstr" : "raw";
  }
}
