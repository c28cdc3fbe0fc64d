package dev.vireo.persistence;

import dev.vireo.persistence.rdb.RdbOptions;
import dev.vireo.persistence.rdb.RdbValue;
import dev.vireo.store.Bytes;
import dev.vireo.store.EncodingLimits;
import dev.vireo.store.HashValue;
import dev.vireo.store.ListValue;
import dev.vireo.store.SetValue;
import dev.vireo.store.ZSetValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Keyspace values to RDB values and back. Reading out copies nothing that is immutable (string and element
 * arrays are shared, never modified in place once stored); building a keyspace value applies the encoding rules
 * Redis applies when it loads a value, so OBJECT ENCODING answers alike after a load.
 */
public final class RdbValues {
  private RdbValues() {}

  /** The RDB form of a keyspace value, or null for a type the RDB codecs do not carry. */
  public static RdbValue toRdb(Object value) {
    if (value instanceof byte[] s) return new RdbValue.Str(s);
    if (value instanceof ListValue l) return new RdbValue.ListVal(Arrays.asList(l.toArray()));
    if (value instanceof SetValue s) return new RdbValue.SetVal(Arrays.asList(s.members()));
    if (value instanceof ZSetValue z) {
      List<RdbValue.Member> members = new ArrayList<>(z.size());
      for (ZSetValue.Node n = z.first(); n != null; n = n.next()) {
        members.add(new RdbValue.Member(n.member.array(), n.score));
      }
      return new RdbValue.ZSetVal(members);
    }
    if (value instanceof HashValue h) {
      List<RdbValue.Field> fields = new ArrayList<>(h.size());
      h.forEach((f, v) -> fields.add(new RdbValue.Field(f, v)));
      return new RdbValue.HashVal(fields);
    }
    return null;
  }

  /** A keyspace value from its RDB form. */
  public static Object fromRdb(RdbValue v, EncodingLimits lim) {
    if (v instanceof RdbValue.Str s) return s.value();
    if (v instanceof RdbValue.ListVal l) {
      ListValue list = new ListValue();
      for (byte[] e : l.elements()) list.pushTail(e);
      return list;
    }
    if (v instanceof RdbValue.SetVal s) {
      SetValue set = s.members().isEmpty() ? SetValue.emptyIntset()
          : SetValue.createFor(s.members().get(0), 0, s.members().get(0).length);
      for (byte[] m : s.members()) set.add(m, lim.setMaxIntsetEntries);
      return set;
    }
    if (v instanceof RdbValue.ZSetVal z) {
      ZSetValue zset = new ZSetValue(z.members().size() > lim.zsetMaxListpackEntries);
      for (RdbValue.Member m : z.members()) {
        zset.checkEncoding(lim, m.member().length);
        zset.put(m.score(), Bytes.wrap(m.member()));
      }
      return zset;
    }
    RdbValue.HashVal h = (RdbValue.HashVal) v;
    HashValue hash = new HashValue();
    for (RdbValue.Field f : h.fields()) {
      hash.set(f.field(), 0, f.field().length, f.value(), lim.hashMaxListpackEntries, lim.hashMaxListpackValue);
    }
    return hash;
  }

  /** The writer's options from the node's configuration and encoding limits. */
  public static RdbOptions options(boolean compression, boolean checksum, EncodingLimits lim) {
    return new RdbOptions(compression, checksum, (int) Math.min(Integer.MAX_VALUE, lim.setMaxIntsetEntries),
        (int) Math.min(Integer.MAX_VALUE, lim.zsetMaxListpackEntries),
        (int) Math.min(Integer.MAX_VALUE, lim.zsetMaxListpackValue),
        (int) Math.min(Integer.MAX_VALUE, lim.hashMaxListpackEntries),
        (int) Math.min(Integer.MAX_VALUE, lim.hashMaxListpackValue),
        (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, lim.listMaxListpackSize)), 1L << 30);
  }
}
