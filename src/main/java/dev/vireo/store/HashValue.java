package dev.vireo.store;

import dev.vireo.resp.CommandError;
import dev.vireo.resp.Errors;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A hash. Small hashes are "listpack": one byte array holding a header (the entry count, and what the memory
 * model needs to know the entries' bytes in Redis's listpack layout, as varints) then, in insertion order, each
 * field and its value as a varint length and the bytes (field, value, field, value...), searched linearly, which
 * is the order Redis's listpack replies in. An update of a value of the same length rewrites it in place; any
 * other change re-packs the array at its exact size. Past hash-max-listpack-entries, or with a field or value
 * longer than hash-max-listpack-value, it becomes "hashtable" ({@link FieldTable}) for good. {@link #copy()}
 * copies the one array (or the table's two).
 *
 * <p>One packed array rather than an array per field and per value because each small array costs a 16-byte
 * header and its padding, more than the short strings it holds; the counts live in the array so that the object
 * itself is a header and one reference. Measured with src/bench/heap.py (jcmd GC.class_histogram, JDK 17,
 * compressed oops), 100k hashes of 10 fields "field0".."field9" with values "v&lt;n&gt;" (memory.py's hashes
 * row): 77.4 MB of live heap for the whole dataset (keys and keyspace entries included) with parallel arrays of
 * arrays, 27.7 MB with this layout, against Redis 7.0's 26.7 MB of used_memory.
 */
public final class HashValue implements TypedValue {
  /** An empty listpack: no entries, no entry bytes. Never written in place (no field to update is found in it). */
  private static final byte[] EMPTY = {0, 0};

  /**
   * The packed listpack (a byte[]: its entry count and its entries' bytes in Redis's layout, as varints, then
   * each field and value as a varint length and the bytes), or the hashtable (a {@link FieldTable}).
   */
  private Object data;

  public HashValue() {
    data = EMPTY;
  }

  private HashValue(HashValue o) {
    data = o.data instanceof FieldTable t ? t.copy() : ((byte[]) o.data).clone();
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
        + (data instanceof FieldTable t ? t.memory() : MemoryModel.listpack(entryBytes((byte[]) data)));
  }

  @Override
  public TypedValue copy() {
    return new HashValue(this);
  }

  public boolean isListpack() {
    return !(data instanceof FieldTable);
  }

  public int size() {
    return data instanceof FieldTable t ? t.size() : Varint.get((byte[]) data, 0);
  }

  // ---------------------------------------------------------------------------------------------- packed layout




  /**
   * The header's second varint: how far the entries' bytes in Redis's layout are from the body's length plus two
   * per field and value (zigzag-encoded), which is 0 for short strings (Redis spends a byte of encoding and a byte
   * of backlen on each where this layout spends a length byte), so that it is usually one byte.
   */
  private static int skew(int count, int entryBytes, int bodyLen) {
    int d = bodyLen + 2 * count - entryBytes;
    return (d << 1) ^ (d >> 31);
  }

  /** The listpack entries' bytes in Redis's layout. */
  private static int entryBytes(byte[] lp) {
    int count = Varint.get(lp, 0);
    int p = Varint.size(count);
    int z = Varint.get(lp, p);
    int bodyLen = lp.length - p - Varint.size(z);
    return bodyLen + 2 * count - ((z >>> 1) ^ -(z & 1));
  }

  /** Where the fields and values start, after the header. */
  private static int bodyStart(byte[] lp) {
    int p = Varint.size(Varint.get(lp, 0));
    return p + Varint.size(Varint.get(lp, p));
  }

  /** A listpack with this header and room for a body of bodyLen bytes (which ends the array). */
  private static byte[] withHeader(int count, int entryBytes, int bodyLen) {
    int z = skew(count, entryBytes, bodyLen);
    byte[] out = new byte[Varint.size(count) + Varint.size(z) + bodyLen];
    Varint.put(out, Varint.put(out, 0, count), z);
    return out;
  }

  /** Bytes of one packed string: its length's varint and its bytes. */
  private static int packedSize(int len) {
    return Varint.size(len) + len;
  }

  /** Position of the packed string after the one at p. */
  private static int skip(byte[] lp, int p) {
    int len = Varint.get(lp, p);
    return p + Varint.size(len) + len;
  }

  private static byte[] unpack(byte[] lp, int p) {
    int len = Varint.get(lp, p);
    int off = p + Varint.size(len);
    return Arrays.copyOfRange(lp, off, off + len);
  }

  /** Position of the field's packed entry, or -1. */
  private static int indexOf(byte[] lp, byte[] b, int off, int len) {
    for (int p = bodyStart(lp); p < lp.length; ) {
      int fl = Varint.get(lp, p);
      int fo = p + Varint.size(fl);
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
    return p < 0 ? -1 : Varint.get(lp, skip(lp, p));
  }

  public boolean contains(byte[] b, int off, int len) {
    if (data instanceof FieldTable t) return t.find(b, off, len) >= 0;
    return indexOf((byte[]) data, b, off, len) >= 0;
  }

  /** Switches to the hashtable encoding (one way, as in Redis). */
  public void convert() {
    if (data instanceof FieldTable) return;
    FieldTable t = new FieldTable(size(), true);
    forEach(t::add);
    data = t;
  }

  /**
   * Sets field (a slice) to value (copied). Converts first when either is longer than maxValue, and after an
   * insert that takes the size past maxEntries. Returns true when the field is new.
   */
  public boolean set(byte[] b, int off, int len, byte[] value, long maxEntries, long maxValue) {
    if (!(data instanceof FieldTable) && (len > maxValue || value.length > maxValue)) convert();
    if (data instanceof FieldTable t) return t.put(b, off, len, value);
    byte[] lp = (byte[]) data;
    int count = Varint.get(lp, 0);
    int eb = entryBytes(lp);
    int bs = bodyStart(lp);
    int p = indexOf(lp, b, off, len);
    if (p >= 0) {
      int vp = skip(lp, p);
      int oldLen = Varint.get(lp, vp);
      int vo = vp + Varint.size(oldLen);
      int neb = eb + entryCost(value, 0, value.length) - entryCost(lp, vo, oldLen);
      int bodyLen = lp.length - bs;
      if (oldLen == value.length && Varint.size(skew(count, neb, bodyLen)) == Varint.size(skew(count, eb, bodyLen))) {
        System.arraycopy(value, 0, lp, vo, oldLen);
        Varint.put(lp, Varint.size(count), skew(count, neb, bodyLen));
        return false;
      }
      int end = vo + oldLen;
      bodyLen = lp.length - bs - (end - vp) + packedSize(value.length);
      byte[] nl = withHeader(count, neb, bodyLen);
      int q = nl.length - bodyLen;
      System.arraycopy(lp, bs, nl, q, vp - bs);
      q = Varint.put(nl, q + vp - bs, value.length);
      System.arraycopy(value, 0, nl, q, value.length);
      System.arraycopy(lp, end, nl, q + value.length, lp.length - end);
      data = nl;
      return false;
    }
    int neb = eb + entryCost(b, off, len) + entryCost(value, 0, value.length);
    int bodyLen = lp.length - bs + packedSize(len) + packedSize(value.length);
    byte[] nl = withHeader(count + 1, neb, bodyLen);
    int q = nl.length - bodyLen;
    System.arraycopy(lp, bs, nl, q, lp.length - bs);
    q = Varint.put(nl, q + lp.length - bs, len);
    System.arraycopy(b, off, nl, q, len);
    q = Varint.put(nl, q + len, value.length);
    System.arraycopy(value, 0, nl, q, value.length);
    data = nl;
    if (count + 1 > maxEntries) convert();
    return true;
  }

  /** Removes a field; returns true when it was there. */
  public boolean remove(byte[] b, int off, int len) {
    if (data instanceof FieldTable t) return t.remove(b, off, len);
    byte[] lp = (byte[]) data;
    int p = indexOf(lp, b, off, len);
    if (p < 0) return false;
    int bs = bodyStart(lp);
    int fl = Varint.get(lp, p);
    int vp = p + Varint.size(fl) + fl;
    int vl = Varint.get(lp, vp);
    int vo = vp + Varint.size(vl);
    int end = vo + vl;
    int neb = entryBytes(lp) - entryCost(lp, p + Varint.size(fl), fl) - entryCost(lp, vo, vl);
    int bodyLen = lp.length - bs - (end - p);
    byte[] nl = withHeader(Varint.get(lp, 0) - 1, neb, bodyLen);
    int q = nl.length - bodyLen;
    System.arraycopy(lp, bs, nl, q, p - bs);
    System.arraycopy(lp, end, nl, q + p - bs, lp.length - end);
    data = nl;
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
    for (int p = bodyStart(lp); p < lp.length; ) {
      int fl = Varint.get(lp, p);
      int fo = p + Varint.size(fl);
      int vp = fo + fl;
      int vl = Varint.get(lp, vp);
      int vo = vp + Varint.size(vl);
      v.visit(lp, fo, fl, vo, vl);
      p = vo + vl;
    }
  }

  /** A uniformly random listpack position. */
  public int randomIndex() {
    return ThreadLocalRandom.current().nextInt(size());
  }

  private int position(int i) {
    byte[] lp = (byte[]) data;
    int p = bodyStart(lp);
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
