package dev.vireo.command;

import static dev.vireo.server.CommandSpec.DENYOOM;
import static dev.vireo.server.CommandSpec.READONLY;
import static dev.vireo.server.CommandSpec.WRITE;

import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.resp.Errors;
import dev.vireo.server.Client;
import dev.vireo.server.CommandTable;
import dev.vireo.store.Entry;
import dev.vireo.store.HashValue;
import dev.vireo.store.ListValue;
import dev.vireo.store.SetValue;
import dev.vireo.store.ZSetValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA]
 * [STORE destination]} and {@code SORT_RO} (the same without STORE).
 *
 * <p>The value to sort is a list, set or sorted set, read in its natural order: a list head to tail, a sorted
 * set by ascending rank, a set in its own iteration order (ascending for an intset, as Redis). Sorted sets are
 * converted to skiplist first, as Redis does. {@code BY}/{@code GET} patterns substitute the first
 * {@code *} with the element and read a string key, or with {@code ->field} a hash field. STORE writes a list.
 */
final class SortCommands {
  private SortCommands() {}

  static void register(CommandTable t) {
    t.add("sort", -2, WRITE | DENYOOM, 1, 1, 1, "generic", "1.0.0",
        "Sorts the elements in a list, a set, or a sorted set, optionally storing the result.",
        (c, a) -> sort(c, a, false));
    t.add("sort_ro", -2, READONLY, 1, 1, 1, "generic", "7.0.0",
        "Returns the sorted elements of a list, a set, or a sorted set.", (c, a) -> sort(c, a, true));
  }

  /** One element being sorted and its sort key (a score, or the bytes to compare for ALPHA BY). */
  private static final class Item {
    final byte[] obj;
    double score;
    byte[] cmp;

    Item(byte[] obj) {
      this.obj = obj;
    }
  }

  static void sort(Client c, Args a, boolean readonly) {
    boolean desc = false;
    boolean alpha = false;
    long limitStart = 0;
    long limitCount = -1;
    byte[] by = null;
    boolean dontsort = false;
    int storeArg = -1;
    List<byte[]> gets = new ArrayList<>();
    for (int j = 2; j < a.count(); j++) {
      int left = a.count() - j - 1;
      if (a.is(j, "asc")) {
        desc = false;
      } else if (a.is(j, "desc")) {
        desc = true;
      } else if (a.is(j, "alpha")) {
        alpha = true;
      } else if (a.is(j, "limit") && left >= 2) {
        limitStart = a.longArg(j + 1);
        limitCount = a.longArg(j + 2);
        j += 2;
      } else if (!readonly && a.is(j, "store") && left >= 1) {
        storeArg = j + 1;
        j++;
      } else if (a.is(j, "by") && left >= 1) {
        by = a.bytes(j + 1);
        // A pattern without '*' disables sorting for good: a later BY does not turn it back on, as in Redis.
        if (indexOf(by, 0, (byte) '*') < 0) dontsort = true;
        j++;
      } else if (a.is(j, "get") && left >= 1) {
        gets.add(a.bytes(j + 1));
        j++;
      } else {
        throw new CommandError(Errors.SYNTAX);
      }
    }

    Entry e = c.db.lookupRead(a.buf(1), a.off(1), a.len(1));
    String type = "list";
    Iterable<byte[]> source = null;
    if (e != null) {
      type = KeyCommands.typeName(e.value);
      if (!type.equals("list") && !type.equals("set") && !type.equals("zset")) {
        throw new CommandError(Errors.WRONGTYPE);
      }
      if (e.value instanceof ZSetValue z) z.forceSkiplist(); // OBJECT ENCODING says skiplist afterwards
      source = elements(e.value);
    }
    boolean store = storeArg >= 0;
    // An unsorted set has no defined order; when the result is stored, sort it so it is deterministic.
    if (dontsort && type.equals("set") && store) {
      dontsort = false;
      alpha = true;
      by = null;
    }

    List<byte[]> all = new ArrayList<>();
    if (source != null) for (byte[] x : source) all.add(x);
    long len = all.size();
    long start = limitStart < 0 ? 0 : limitStart;
    long end = limitCount < 0 ? len - 1 : satAdd(start, limitCount) - 1;
    if (start >= len) {
      start = len - 1;
      end = len - 2;
    }
    if (end >= len) end = len - 1;

    Item[] vector;
    if (dontsort && !type.equals("set")) {
      // Lists and sorted sets keep their own order (reversed by DESC); LIMIT picks the range directly.
      int n = end >= start ? (int) (end - start + 1) : 0;
      vector = new Item[n];
      for (int i = 0; i < n; i++) {
        int idx = (int) (desc ? len - 1 - start - i : start + i);
        vector[i] = new Item(all.get(idx));
      }
      end -= start;
      start = 0;
    } else {
      vector = new Item[all.size()];
      for (int i = 0; i < vector.length; i++) vector[i] = new Item(all.get(i));
    }

    if (!dontsort) {
      boolean conversionError = false;
      for (Item it : vector) {
        byte[] byval;
        if (by != null) {
          byval = lookupByPattern(c, by, it.obj);
          if (byval == null) continue;
        } else {
          byval = it.obj;
        }
        if (alpha) {
          if (by != null) it.cmp = byval;
        } else {
          double d = Strtod.parse(byval);
          if (Double.isNaN(d)) conversionError = true;
          else it.score = d;
        }
      }
      if (conversionError) throw new CommandError("ERR One or more scores can't be converted into double");
      final boolean alphaF = alpha;
      final boolean byF = by != null;
      final int sign = desc ? -1 : 1;
      Arrays.sort(vector, (x, y) -> sign * compare(x, y, alphaF, byF));
    }

    int outLen = end >= start ? (int) (end - start + 1) : 0;
    int getCount = gets.size();
    if (!store) {
      c.out.array(getCount > 0 ? outLen * getCount : outLen);
      for (long j = start; j <= end; j++) {
        byte[] obj = vector[(int) j].obj;
        if (getCount == 0) c.out.bulk(obj);
        for (byte[] g : gets) {
          byte[] val = lookupByPattern(c, g, obj);
          if (val == null) c.out.nullBulk();
          else c.out.bulk(val);
        }
      }
      return;
    }
    List<byte[]> result = new ArrayList<>(getCount > 0 ? outLen * getCount : outLen);
    for (long j = start; j <= end; j++) {
      byte[] obj = vector[(int) j].obj;
      if (getCount == 0) result.add(obj);
      for (byte[] g : gets) {
        byte[] val = lookupByPattern(c, g, obj);
        result.add(val == null ? new byte[0] : val);
      }
    }
    Entry dest = c.db.stored(a.bytes(storeArg)); // an empty result deletes it as stored (Redis's dbDelete)
    if (!result.isEmpty()) {
      ListValue stored = new ListValue();
      int fill = ListCommands.fill(c);
      for (byte[] x : result) stored.push(x, 0, x.length, false, fill);
      c.db.put(a.bytes(storeArg), stored, false);
      Notify.arg(c, Notify.LIST, "sortstore", a, storeArg);
      c.server().addDirty(result.size());
    } else if (dest != null) {
      c.db.remove(dest);
      Notify.del(c, a, storeArg);
      c.server().addDirty(1);
    }
    c.out.integer(result.size());
  }

  @SuppressWarnings("unchecked")
  private static Iterable<byte[]> elements(Object value) {
    if (value instanceof ListValue l) return Arrays.asList(l.toArray());
    if (value instanceof SetValue s) return Arrays.asList(s.members());
    if (value instanceof ZSetValue z) {
      List<byte[]> members = new ArrayList<>(z.size());
      for (ZSetValue.Node n = z.first(); n != null; n = n.next()) members.add(n.member); // rank order
      return members;
    }
    throw new IllegalStateException("value of type " + KeyCommands.typeName(value) + " cannot be iterated");
  }

  private static long satAdd(long x, long y) {
    long r = x + y;
    return ((x ^ r) & (y ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  private static int compare(Item x, Item y, boolean alpha, boolean by) {
    if (!alpha) {
      if (x.score > y.score) return 1;
      if (x.score < y.score) return -1;
      return compareBytes(x.obj, y.obj);
    }
    if (by) {
      if (x.cmp == null || y.cmp == null) {
        if (x.cmp == y.cmp) return 0;
        return x.cmp == null ? -1 : 1;
      }
      return compareBytes(x.cmp, y.cmp);
    }
    return compareBytes(x.obj, y.obj);
  }

  static int compareBytes(byte[] x, byte[] y) {
    int n = Math.min(x.length, y.length);
    for (int i = 0; i < n; i++) {
      int d = (x[i] & 0xff) - (y[i] & 0xff);
      if (d != 0) return d;
    }
    return x.length - y.length;
  }

  private static int indexOf(byte[] b, int from, byte x) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == x) return i;
    }
    return -1;
  }

  /**
   * The value a BY/GET pattern names for one element: {@code #} is the element itself; otherwise the first
   * {@code *} is replaced by the element and the result is a string key, or with a non-empty {@code ->field}
   * after the {@code *}, a hash field. Null when there is no such value or no {@code *}.
   */
  static byte[] lookupByPattern(Client c, byte[] pattern, byte[] subst) {
    if (pattern.length == 1 && pattern[0] == '#') return subst;
    int star = indexOf(pattern, 0, (byte) '*');
    if (star < 0) return null;
    int arrow = -1;
    for (int i = star + 1; i + 2 < pattern.length; i++) {
      if (pattern[i] == '-' && pattern[i + 1] == '>') {
        arrow = i;
        break;
      }
    }
    int keyEnd = arrow >= 0 ? arrow : pattern.length;
    byte[] key = new byte[star + subst.length + (keyEnd - star - 1)];
    System.arraycopy(pattern, 0, key, 0, star);
    System.arraycopy(subst, 0, key, star, subst.length);
    System.arraycopy(pattern, star + 1, key, star + subst.length, keyEnd - star - 1);
    Entry e = c.db.lookupRead(key, 0, key.length); // a read also for STORE, as Redis 7.0 (keymiss, hits)
    if (e == null) return null;
    if (arrow >= 0) {
      if (!(e.value instanceof HashValue h)) return null;
      return h.get(pattern, arrow + 2, pattern.length - arrow - 2);
    }
    return e.value instanceof byte[] b ? b : null;
  }

  /** C's strtod as SORT uses it: the whole string must convert; NaN and out-of-range values are errors. */
  static final class Strtod {
    private Strtod() {}

    /** The value, or NaN when SORT would report a conversion error. */
    static double parse(byte[] s) {
      int n = s.length;
      if (n == 0) return 0; // nothing converted and nothing left over
      int i = 0;
      while (i < n && isSpace(s[i])) i++;
      int signStart = i;
      if (i < n && (s[i] == '+' || s[i] == '-')) i++;
      boolean neg = i > signStart && s[signStart] == '-';
      int body = i;
      if (matchWord(s, body, "infinity")) return end(s, body + 8, neg ? Double.NEGATIVE_INFINITY
          : Double.POSITIVE_INFINITY);
      if (matchWord(s, body, "inf")) return end(s, body + 3, neg ? Double.NEGATIVE_INFINITY
          : Double.POSITIVE_INFINITY);
      if (matchWord(s, body, "nan")) return Double.NaN;
      if (i + 1 < n && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
        int j = i + 2;
        int digits = 0;
        while (j < n && hex(s[j]) >= 0) {
          j++;
          digits++;
        }
        if (j < n && s[j] == '.') {
          j++;
          while (j < n && hex(s[j]) >= 0) {
            j++;
            digits++;
          }
        }
        if (digits == 0) {
          // Only the "0" converts; the 'x' is left over.
          return Double.NaN;
        }
        int mantEnd = j;
        String exp = "p0";
        if (j < n && (s[j] == 'p' || s[j] == 'P')) {
          int k = j + 1;
          if (k < n && (s[k] == '+' || s[k] == '-')) k++;
          int ds = k;
          while (k < n && s[k] >= '0' && s[k] <= '9') k++;
          if (k > ds) {
            exp = new String(s, j, k - j, StandardCharsets.US_ASCII);
            j = k;
          }
        }
        if (j != n) return Double.NaN;
        String m = new String(s, i, mantEnd - i, StandardCharsets.US_ASCII);
        if (m.endsWith(".")) m = m + "0";
        if (m.startsWith("0x.") || m.startsWith("0X.")) m = "0x0" + m.substring(2);
        double d = Double.parseDouble((neg ? "-" : "") + m + exp);
        return checkRange(d, hasNonZeroDigit(s, i + 2, mantEnd));
      }
      int digits = 0;
      while (i < n && s[i] >= '0' && s[i] <= '9') {
        i++;
        digits++;
      }
      if (i < n && s[i] == '.') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
          i++;
          digits++;
        }
      }
      if (digits == 0) return Double.NaN; // no conversion: the string itself is left over
      int mantEnd = i;
      if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        int k = i + 1;
        if (k < n && (s[k] == '+' || s[k] == '-')) k++;
        int ds = k;
        while (k < n && s[k] >= '0' && s[k] <= '9') k++;
        if (k > ds) i = k;
      }
      if (i != n) return Double.NaN;
      String text = new String(s, signStart, i - signStart, StandardCharsets.US_ASCII);
      if (text.endsWith(".")) text = text.substring(0, text.length() - 1);
      double d = Double.parseDouble(text.isEmpty() || text.equals("+") || text.equals("-") ? "0" : fixDot(text));
      return checkRange(d, hasNonZeroDigit(s, body, mantEnd));
    }

    private static String fixDot(String t) {
      // Java wants a digit around the point ("-.5" is fine, "5." handled above, "5.e3" needs a zero).
      return t.replace(".e", ".0e").replace(".E", ".0E");
    }

    private static boolean hasNonZeroDigit(byte[] s, int from, int to) {
      for (int i = from; i < to; i++) {
        if (s[i] != '0' && s[i] != '.') return true;
      }
      return false;
    }

    /** ERANGE: overflow to infinity, or underflow to zero or a subnormal. */
    private static double checkRange(double d, boolean nonZero) {
      if (Double.isInfinite(d)) return Double.NaN;
      if (nonZero && Math.abs(d) < Double.MIN_NORMAL) return Double.NaN;
      return d;
    }

    private static double end(byte[] s, int at, double v) {
      return at == s.length ? v : Double.NaN;
    }

    private static boolean matchWord(byte[] s, int at, String w) {
      if (at + w.length() > s.length) return false;
      for (int k = 0; k < w.length(); k++) {
        int x = s[at + k];
        if (x >= 'A' && x <= 'Z') x += 32;
        if (x != w.charAt(k)) return false;
      }
      return true;
    }

    private static int hex(byte b) {
      if (b >= '0' && b <= '9') return b - '0';
      if (b >= 'a' && b <= 'f') return b - 'a' + 10;
      if (b >= 'A' && b <= 'F') return b - 'A' + 10;
      return -1;
    }

    private static boolean isSpace(byte b) {
      return b == ' ' || b == '\t' || b == '\n' || b == 0x0b || b == '\f' || b == '\r';
    }
  }
}
