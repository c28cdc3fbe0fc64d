package dev.vireo.command;

import dev.vireo.resp.CommandError;
import dev.vireo.resp.Errors;
import dev.vireo.resp.Numbers;
import dev.vireo.server.Client;
import dev.vireo.store.Entry;
import java.util.Arrays;

/** Access to string values: a string is stored as a {@code byte[]}. */
public final class Strings {
  private Strings() {}

  /** The string value of a live entry, or WRONGTYPE. */
  public static byte[] of(Entry e) {
    if (e.value instanceof byte[] b) return b;
    throw new CommandError(Errors.WRONGTYPE);
  }

  /**
   * The string's bytes for modification in place, at least {@code minLength} long (zero-padded). A copy replaces
   * the stored array when it must grow, or while a background save may still be reading the old one.
   */
  public static byte[] mutable(Client c, Entry e, int minLength) {
    byte[] cur = of(e);
    if (cur.length < minLength || c.server().snapshotInProgress()) {
      cur = Arrays.copyOf(cur, Math.max(cur.length, minLength));
      e.value = cur;
    }
    return cur;
  }

  /** OBJECT ENCODING of a string value, by Redis's rules: int, embstr (up to 44 bytes) or raw. */
  public static String encoding(Entry e) {
    byte[] b = (byte[]) e.value;
    if ((e.flags() & Entry.RAW) != 0) return "raw";
    if ((e.flags() & Entry.NOT_INT) == 0 && b.length <= 20 && Numbers.isLong(b, 0, b.length)) return "int";
    return b.length <= 44 ? "embstr" : "raw";
  }
}
