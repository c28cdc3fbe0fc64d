package dev.vireo.server;

import dev.vireo.resp.Args;
import java.util.List;

/**
 * One key spec of a command, as COMMAND INFO lists it: where the search for keys begins (an argument index, a
 * keyword searched from a position, or unknown), how keys are found from there (a range, a numkeys argument, or
 * unknown), and the flags of the keys it finds (RO, RW, OW, RM, access, update, insert, delete, not_key, incomplete,
 * variable_flags).
 */
public final class KeySpec {
  public enum Begin { INDEX, KEYWORD, UNKNOWN }

  public enum Find { RANGE, KEYNUM, UNKNOWN }

  public final String notes;
  public final List<String> flags;
  public final Begin begin;
  /** INDEX: the argument index; KEYWORD: where the search starts (negative: from the end, backwards). */
  public final int index;
  public final String keyword;
  public final Find find;
  /** RANGE: lastkey, keystep, limit; KEYNUM: keynumidx, firstkey, keystep. */
  public final int a;
  public final int b;
  public final int c;

  public KeySpec(String notes, List<String> flags, Begin begin, int index, String keyword, Find find, int a, int b,
      int c) {
    this.notes = notes;
    this.flags = List.copyOf(flags);
    this.begin = begin;
    this.index = index;
    this.keyword = keyword;
    this.find = find;
    this.a = a;
    this.b = b;
    this.c = c;
  }

  /** A key argument's position in the command and the flags it is used with. */
  public record KeyRef(int pos, List<String> flags) {}

  public boolean has(String flag) {
    return flags.contains(flag);
  }

  /**
   * Adds the key positions this spec finds in {@code a} (the command at {@code from}) to {@code out}, as Redis's
   * key-spec search: returns false when the spec cannot tell (unknown, incomplete, a numkeys argument that is not a
   * count, keys out of bounds), true when it found its keys or its keyword is absent.
   */
  boolean find(Args args, int from, int arity, List<KeyRef> out) {
    int argc = args.count() - from;
    int first = 0;
    switch (begin) {
      case INDEX -> first = index;
      case KEYWORD -> {
        int start = index > 0 ? index : argc + index;
        int end = index > 0 ? argc - 1 : 1;
        for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
          if (i >= argc || i < 1) break;
          if (args.is(from + i, keyword)) {
            first = i + 1;
            break;
          }
        }
        if (first == 0) return true;
      }
      default -> {
        return false;
      }
    }
    int last;
    int step;
    switch (find) {
      case RANGE -> {
        step = b;
        if (a >= 0) last = first + a;
        else if (c == 0) last = argc + a;
        else last = first + ((argc - first) / c + a);
      }
      case KEYNUM -> {
        step = c;
        if (this.a >= argc || first + this.a >= argc) return false;
        long numkeys;
        try {
          numkeys = Long.parseLong(args.str(from + first + this.a));
        } catch (NumberFormatException e) {
          return false;
        }
        if (numkeys < 0) return false;
        first += b;
        last = first + (int) numkeys - 1;
      }
      default -> {
        return false;
      }
    }
    if (last >= argc || last < first || first >= argc) return false;
    for (int i = first; i <= last; i += step) {
      if (i >= argc || i < first) {
        if (arity < 0) continue;
        return false;
      }
      out.add(new KeyRef(i, flags));
    }
    return !has("incomplete");
  }
}
