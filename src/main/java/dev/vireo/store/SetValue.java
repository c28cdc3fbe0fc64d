package dev.vireo.store;

import dev.vireo.resp.CommandError;
import dev.vireo.resp.Errors;
import dev.vireo.resp.Numbers;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A set. While every member is a canonical 64-bit integer and there are at most set-max-intset-entries of them it
 * is an "intset": a sorted long array, replying in ascending order as Redis does. Otherwise it is a "hashtable"
 * ({@link FieldTable} without values), for good.
 */
public final class SetValue implements TypedValue {
  private long[] ints;
  private int n;
  private FieldTable table;
  /** The width of an intset's integers (2, 4 or 8 bytes), widened as Redis's intset is, never narrowed. */
  private int width = 2;

  private SetValue(long[] ints, FieldTable table) {
    this.ints = ints;
    this.table = table;
  }

  /** An empty set in the encoding Redis would create for its first member (setTypeCreate). */
  public static SetValue createFor(byte[] b, int off, int len) {
    return Numbers.isLong(b, off, len) ? new SetValue(new long[4], null) : new SetValue(null, new FieldTable(0));
  }

  /** An empty intset, which set algebra results start from (as Redis's STORE variants do). */
  public static SetValue emptyIntset() {
    return new SetValue(new long[4], null);
  }

  public static SetValue of(Entry e) {
    if (e.value instanceof SetValue s) return s;
    throw new CommandError(Errors.WRONGTYPE);
  }

  @Override
  public String typeName() {
    return "set";
  }

  @Override
  public String encoding() {
    return table == null ? "intset" : "hashtable";
  }

  @Override
  public long memory() {
    return MemoryModel.OBJECT + (table == null ? MemoryModel.alloc(8L + (long) n * width) : table.memory());
  }

  private static int width(long v) {
    return v >= Short.MIN_VALUE && v <= Short.MAX_VALUE ? 2 : v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? 4 : 8;
  }

  @Override
  public TypedValue copy() {
    return table == null ? withInts(Arrays.copyOf(ints, Math.max(n, 1)), n) : new SetValue(null, table.copy());
  }

  private static SetValue withInts(long[] a, int n) {
    SetValue s = new SetValue(a, null);
    s.n = n;
    for (int i = 0; i < n; i++) s.width = Math.max(s.width, width(a[i]));
    return s;
  }

  public boolean isIntset() {
    return table == null;
  }

  public int size() {
    return table == null ? n : table.size();
  }

  /** The i-th smallest member of an intset. */
  public long intAt(int i) {
    return ints[i];
  }

  /** The hashtable, or null for an intset. */
  public FieldTable table() {
    return table;
  }

  private int search(long v) {
    return Arrays.binarySearch(ints, 0, n, v);
  }

  public boolean contains(byte[] b, int off, int len) {
    if (table != null) return table.get(b, off, len) != null;
    long v = Numbers.parseLong(b, off, len);
    if (v == Numbers.INVALID && !Numbers.isLong(b, off, len)) return false;
    return search(v) >= 0;
  }

  /** Adds a member (a slice, copied only when new); returns true when it was new. */
  public boolean add(byte[] b, int off, int len, long maxIntset) {
    if (table == null) {
      long v = Numbers.parseLong(b, off, len);
      if (v == Numbers.INVALID && !Numbers.isLong(b, off, len)) {
        convert();
        return table.addIfAbsent(b, off, len, null);
      }
      int i = search(v);
      if (i >= 0) return false;
      i = -i - 1;
      if (n == ints.length) ints = Arrays.copyOf(ints, n * 2);
      System.arraycopy(ints, i, ints, i + 1, n - i);
      ints[i] = v;
      n++;
      width = Math.max(width, width(v));
      if (n > maxIntset) convert();
      return true;
    }
    return table.addIfAbsent(b, off, len, null);
  }

  public boolean add(byte[] member, long maxIntset) {
    return add(member, 0, member.length, maxIntset);
  }

  public boolean remove(byte[] b, int off, int len) {
    if (table != null) return table.remove(b, off, len) != null;
    long v = Numbers.parseLong(b, off, len);
    if (v == Numbers.INVALID && !Numbers.isLong(b, off, len)) return false;
    int i = search(v);
    if (i < 0) return false;
    System.arraycopy(ints, i + 1, ints, i, n - i - 1);
    n--;
    return true;
  }

  public void convert() {
    if (table != null) return;
    FieldTable t = new FieldTable(n);
    for (int i = 0; i < n; i++) t.add(Long.toString(ints[i]).getBytes(), null);
    table = t;
    ints = null;
    n = 0;
  }

  /** Receives each member in the set's order. */
  public interface Visitor {
    void visit(byte[] member);
  }

  /** Visits members; intset members are formatted on the fly. */
  public void forEach(Visitor v) {
    if (table != null) {
      table.forEach(node -> v.visit(node.key));
      return;
    }
    for (int i = 0; i < n; i++) v.visit(Long.toString(ints[i]).getBytes());
  }

  /** Members as arrays, in the set's order. */
  public byte[][] members() {
    byte[][] out = new byte[size()][];
    int[] k = {0};
    forEach(m -> out[k[0]++] = m);
    return out;
  }

  /** A random member (as bytes). The set must not be empty. */
  public byte[] random() {
    if (table != null) return table.random().key;
    return Long.toString(ints[ThreadLocalRandom.current().nextInt(n)]).getBytes();
  }
}
