package dev.vireo.store;

import dev.vireo.resp.CommandError;
import dev.vireo.resp.Errors;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A hash. Small hashes are "listpack": parallel field/value arrays in insertion order, searched linearly, which
 * is the order Redis's listpack replies in. Past hash-max-listpack-entries, or with a field or value longer than
 * hash-max-listpack-value, it becomes "hashtable" ({@link FieldTable}) for good. Stored arrays are never mutated:
 * an update replaces the value array, so {@link #copy()} can share them.
 */
public final class HashValue implements TypedValue {
  private byte[][] fields;
  private byte[][] values;
  private int n;
  private FieldTable table;
  /** The listpack entries' bytes of fields and values, while the hash is a listpack. */
  private long entryBytes;

  public HashValue() {
    fields = new byte[4][];
    values = new byte[4][];
  }

  private HashValue(HashValue o) {
    if (o.table != null) {
      table = o.table.copy();
    } else {
      fields = Arrays.copyOf(o.fields, Math.max(o.n, 1));
      values = Arrays.copyOf(o.values, Math.max(o.n, 1));
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
    return table == null ? "listpack" : "hashtable";
  }

  @Override
  public long memory() {
    return MemoryModel.OBJECT + (table == null ? MemoryModel.listpack(entryBytes) : table.memory());
  }

  @Override
  public TypedValue copy() {
    return new HashValue(this);
  }

  public boolean isListpack() {
    return table == null;
  }

  public int size() {
    return table == null ? n : table.size();
  }

  private int indexOf(byte[] b, int off, int len) {
    for (int i = 0; i < n; i++) {
      byte[] f = fields[i];
      if (f.length == len && Arrays.equals(f, 0, len, b, off, off + len)) return i;
    }
    return -1;
  }

  public byte[] get(byte[] b, int off, int len) {
    if (table != null) {
      FieldTable.Node node = table.get(b, off, len);
      return node == null ? null : node.value();
    }
    int i = indexOf(b, off, len);
    return i < 0 ? null : values[i];
  }

  public boolean contains(byte[] b, int off, int len) {
    return get(b, off, len) != null;
  }

  /** Switches to the hashtable encoding (one way, as in Redis). */
  public void convert() {
    if (table != null) return;
    FieldTable t = new FieldTable(n);
    for (int i = 0; i < n; i++) t.add(fields[i], values[i]);
    table = t;
    fields = null;
    values = null;
    n = 0;
    entryBytes = 0;
  }

  /**
   * Sets field (a slice, copied only when new) to value (kept). Converts first when either is longer than
   * maxValue, and after an insert that takes the size past maxEntries. Returns true when the field is new.
   */
  public boolean set(byte[] b, int off, int len, byte[] value, long maxEntries, long maxValue) {
    if (table == null && (len > maxValue || value.length > maxValue)) convert();
    if (table != null) {
      FieldTable.Node node = table.get(b, off, len);
      if (node != null) {
        table.setValue(node, value);
        return false;
      }
      table.add(Arrays.copyOfRange(b, off, off + len), value);
      return true;
    }
    int i = indexOf(b, off, len);
    if (i >= 0) {
      entryBytes += MemoryModel.listpackEntry(value) - MemoryModel.listpackEntry(values[i]);
      values[i] = value;
      return false;
    }
    if (n == fields.length) {
      fields = Arrays.copyOf(fields, n * 2);
      values = Arrays.copyOf(values, n * 2);
    }
    fields[n] = Arrays.copyOfRange(b, off, off + len);
    values[n] = value;
    n++;
    entryBytes += MemoryModel.listpackEntry(fields[n - 1]) + MemoryModel.listpackEntry(value);
    if (n > maxEntries) convert();
    return true;
  }

  /** Removes a field; returns true when it was there. */
  public boolean remove(byte[] b, int off, int len) {
    if (table != null) return table.remove(b, off, len) != null;
    int i = indexOf(b, off, len);
    if (i < 0) return false;
    entryBytes -= MemoryModel.listpackEntry(fields[i]) + MemoryModel.listpackEntry(values[i]);
    System.arraycopy(fields, i + 1, fields, i, n - i - 1);
    System.arraycopy(values, i + 1, values, i, n - i - 1);
    n--;
    fields[n] = null;
    values[n] = null;
    return true;
  }

  /** Receives fields and values in the hash's order. */
  public interface Visitor {
    void visit(byte[] field, byte[] value);
  }

  public void forEach(Visitor v) {
    if (table != null) {
      table.forEach(node -> v.visit(node.key, node.value()));
      return;
    }
    for (int i = 0; i < n; i++) v.visit(fields[i], values[i]);
  }

  /** The field at a random position; for a listpack a uniform pick, for a hashtable Redis's bucket-then-chain. */
  public int randomIndex() {
    return ThreadLocalRandom.current().nextInt(n);
  }

  public byte[] fieldAt(int i) {
    return fields[i];
  }

  public byte[] valueAt(int i) {
    return values[i];
  }

  /** The hashtable, or null for a listpack. */
  public FieldTable table() {
    return table;
  }
}
