package dev.vireo.store;

import dev.vireo.resp.CommandError;
import dev.vireo.resp.Errors;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A hash. Small hashes are "listpack": one byte array holding, in insertion order, each field and its value as a
 * varint length and the bytes (field, value, field, value...), searched linearly, which is the order Redis's
 * listpack replies in. An update of a value of the same length rewrites it in place; any other change re-packs
 * the array at its exact size. Past hash-max-listpack-entries, or with a field or value longer than
 * hash-max-listpack-value, it becomes "hashtable" ({@link FieldTable}) for good. {@link #copy()} copies the one
 * array (or the table's two).
 *
 * <p>One packed array rather than an array per field and per value because each small array costs a 16-byte
 * header and its padding, more than the short strings it holds. Measured with jcmd GC.class_histogram (JDK 17,
 * compressed oops), 100k hashes of 10 fields "field0".."field9" with values "v&lt;n&gt;" (src/bench/memory.py's
 * hashes row): 78.2 MB of live heap for the whole dataset with parallel arrays of arrays, 28.7 MB with this
 * layout, against Redis 7.0's 26.7 MB of used_memory.
 */
public final class HashValue implements TypedValue {
  private static final byte[] EMPTY = new byte[0];

  /** The packed listpack (a byte[]) or the hashtable (a {@link FieldTable}). */
  private Object data;
  /** The listpack's entry count. */
  private int n;
  /** The listpack entries' bytes of fields and values in Redis's layout (for the memory model). */
  private int entryBytes;

  public HashValue() {
    data = EMPTY;
  }

  private HashValue(HashValue o) {
    if (o.data instanceof FieldTable t) {
      data = t.copy();
    } else {
      data = ((byte[]) o.data).clone();
      n = o.n;
      entryBytes = o.entryBytes;
    }
  }

  /** The hash stored in e, or WRONGTYPE. */
  public static HashValue of(Entry e) {
    if (e.value instanceof HashValue h) return h;
    throw new CommandError(Errors.WRONGTYPE);
  }

  @Override
  public String typeName() {
    return "hash";
  }

  @Override
  public String encoding() {
    return data instanceof FieldTable ? "hashtable" : "listpack";
  }

  @Override
  public long memory() {
    return MemoryModel.OBJECT
        + (data instanceof FieldTable t ? t.memory() : MemoryModel.listpack(entryBytes));
  }

  @Override
  public TypedValue copy() {
    return new HashValue(this);
  }

  public boolean isListpack() {
    return !(data instanceof FieldTable);
  }

  public int size() {
    return data instanceof FieldTable t ? t.size() : n;
  }

  // ---------------------------------------------------------------------------------------------- packed layout

  private static int varintSize(int v) {
    return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
  }

  private static int putVarint(byte[] out, int pos, int v) {
    while (v >= 0x80) {
      out[pos++] = (byte) (v | 0x80);
      v >>>= 7;
    }
    out[pos++] = (byte) v;
    return pos;
  }

  private static int getVarint(byte[] lp, int p) {
    int v = 0;
    for (int shift = 0; ; p++, shift += 7) {
      int b = lp[p];
      v |= (b & 0x7F) << shift;
      if (b >= 0) return v;
    }
  }

  /** Bytes of one packed string: its length's varint and its bytes. */
  private static int packedSize(int len) {
    return varintSize(len) + len;
  }

  /** Position of the packed string after the one at p. */
  private static int skip(byte[] lp, int p) {
    int len = getVarint(lp, p);
    return p + varintSize(len) + len;
  }

  private static byte[] unpack(byte[] lp, int p) {
    int len = getVarint(lp, p);
    int off = p + varintSize(len);
    return Arrays.copyOfRange(lp, off, off + len);
  }

  /** Position of the field's packed entry, or -1. */
  private int indexOf(byte[] lp, byte[] b, int off, int len) {
    int p = 0;
    for (int i = 0; i < n; i++) {
      int fl = getVarint(lp, p);
      int fo = p + varintSize(fl);
      if (fl == len && Arrays.equals(lp, fo, fo + len, b, off, off + len)) return p;
      p = skip(lp, fo + fl);
    }
    return -1;
  }

  private static int entryCost(byte[] b, int off, int len) {
    return MemoryModel.listpackEntry(b, off, len);
  }

  /** Receives a field and its value as slices of one array (valid during the call only). */
  public interface SliceVisitor {
    void visit(byte[] buf, int fieldOff, int fieldLen, int valueOff, int valueLen);
  }

  // ---------------------------------------------------------------------------------------------- operations

  public byte[] get(byte[] b, int off, int len) {
    if (data instanceof FieldTable t) {
      int slot = t.find(b, off, len);
      return slot < 0 ? null : t.value(slot);
    }
    byte[] lp = (byte[]) data;
    int p = indexOf(lp, b, off, len);
    return p < 0 ? null : unpack(lp, skip(lp, p));
  }

  /** The length of the field's value, or -1 when the field is absent. */
  public int valueLength(byte[] b, int off, int len) {
    if (data instanceof FieldTable t) {
      int slot = t.find(b, off, len);
      return slot < 0 ? -1 : t.valueLength(slot);
    }
    byte[] lp = (byte[]) data;
    int p = indexOf(lp, b, off, len);
    return p < 0 ? -1 : getVarint(lp, skip(lp, p));
  }

  public boolean contains(byte[] b, int off, int len) {
    if (data instanceof FieldTable t) return t.find(b, off, len) >= 0;
    return indexOf((byte[]) data, b, off, len) >= 0;
  }

  /** Switches to the hashtable encoding (one way, as in Redis). */
  public void convert() {
    if (data instanceof FieldTable) return;
    FieldTable t = new FieldTable(n, true);
    forEach(t::add);
    data = t;
    n = 0;
    entryBytes = 0;
  }

  /**
   * Sets field (a slice) to value (copied). Converts first when either is longer than maxValue, and after an
   * insert that takes the size past maxEntries. Returns true when the field is new.
   */
  public boolean set(byte[] b, int off, int len, byte[] value, long maxEntries, long maxValue) {
    if (!(data instanceof FieldTable) && (len > maxValue || value.length > maxValue)) convert();
    if (data instanceof FieldTable t) return t.put(b, off, len, value);
    byte[] lp = (byte[]) data;
    int p = indexOf(lp, b, off, len);
    if (p >= 0) {
      int vp = skip(lp, p);
      int oldLen = getVarint(lp, vp);
      int vo = vp + varintSize(oldLen);
      entryBytes += entryCost(value, 0, value.length) - entryCost(lp, vo, oldLen);
      if (oldLen == value.length) {
        System.arraycopy(value, 0, lp, vo, oldLen);
        return false;
      }
      int end = vo + oldLen;
      byte[] nl = new byte[lp.length - (end - vp) + packedSize(value.length)];
      System.arraycopy(lp, 0, nl, 0, vp);
      int q = putVarint(nl, vp, value.length);
      System.arraycopy(value, 0, nl, q, value.length);
      System.arraycopy(lp, end, nl, q + value.length, lp.length - end);
      data = nl;
      return false;
    }
    byte[] nl = Arrays.copyOf(lp, lp.length + packedSize(len) + packedSize(value.length));
    int q = putVarint(nl, lp.length, len);
    System.arraycopy(b, off, nl, q, len);
    q = putVarint(nl, q + len, value.length);
    System.arraycopy(value, 0, nl, q, value.length);
    data = nl;
    n++;
    entryBytes += entryCost(b, off, len) + entryCost(value, 0, value.length);
    if (n > maxEntries) convert();
    return true;
  }

  /** Removes a field; returns true when it was there. */
  public boolean remove(byte[] b, int off, int len) {
    if (data instanceof FieldTable t) return t.remove(b, off, len);
    byte[] lp = (byte[]) data;
    int p = indexOf(lp, b, off, len);
    if (p < 0) return false;
    int fl = getVarint(lp, p);
    int vp = p + varintSize(fl) + fl;
    int vl = getVarint(lp, vp);
    int vo = vp + varintSize(vl);
    int end = vo + vl;
    entryBytes -= entryCost(lp, p + varintSize(fl), fl) + entryCost(lp, vo, vl);
    byte[] nl = new byte[lp.length - (end - p)];
    System.arraycopy(lp, 0, nl, 0, p);
    System.arraycopy(lp, end, nl, p, lp.length - end);
    data = nl;
    n--;
    return true;
  }

  /** Receives fields and values in the hash's order. */
  public interface Visitor {
    void visit(byte[] field, byte[] value);
  }

  /** Visits fields and values (fresh arrays) in the hash's order. */
  public void forEach(Visitor v) {
    if (data instanceof FieldTable t) {
      t.forEach(v::visit);
      return;
    }
    forEachSlice((buf, fo, fl, vo, vl) ->
        v.visit(Arrays.copyOfRange(buf, fo, fo + fl), Arrays.copyOfRange(buf, vo, vo + vl)));
  }

  /** Visits fields and values as slices, in the hash's order, copying nothing for a listpack. */
  public void forEachSlice(SliceVisitor v) {
    if (data instanceof FieldTable t) {
      t.forEachSlice(v);
      return;
    }
    byte[] lp = (byte[]) data;
    int p = 0;
    for (int i = 0; i < n; i++) {
      int fl = getVarint(lp, p);
      int fo = p + varintSize(fl);
      int vp = fo + fl;
      int vl = getVarint(lp, vp);
      int vo = vp + varintSize(vl);
      v.visit(lp, fo, fl, vo, vl);
      p = vo + vl;
    }
  }

  /** A uniformly random listpack position. */
  public int randomIndex() {
    return ThreadLocalRandom.current().nextInt(n);
  }

  private int position(int i) {
    byte[] lp = (byte[]) data;
    int p = 0;
    for (int k = 0; k < i; k++) p = skip(lp, skip(lp, p));
    return p;
  }

  /** The listpack's i-th field. */
  public byte[] fieldAt(int i) {
    return unpack((byte[]) data, position(i));
  }

  /** The listpack's i-th value. */
  public byte[] valueAt(int i) {
    byte[] lp = (byte[]) data;
    return unpack(lp, skip(lp, position(i)));
  }

  /** The hashtable, or null for a listpack. */
  public FieldTable table() {
    return data instanceof FieldTable t ? t : null;
  }
}
