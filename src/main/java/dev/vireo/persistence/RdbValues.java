package dev.vireo.persistence;

import dev.vireo.persistence.rdb.RdbOptions;
import dev.vireo.persistence.rdb.RdbValue;
import dev.vireo.store.Bytes;
import dev.vireo.store.EncodingLimits;
import dev.vireo.store.HashValue;
import dev.vireo.store.ListValue;
import dev.vireo.store.SetValue;
import dev.vireo.store.StreamGroup;
import dev.vireo.store.StreamId;
import dev.vireo.store.StreamValue;
import dev.vireo.store.ZSetValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keyspace values to RDB values and back. Reading out copies nothing that is immutable (string and element
 * arrays are shared, never modified in place once stored; a list's packed nodes, which change in place, are
 * copied); building a keyspace value applies the encoding rules Redis applies when it loads a value, so OBJECT
 * ENCODING answers alike after a load.
 */
public final class RdbValues {
  private RdbValues() {}

  /** The RDB form of a keyspace value, or null for a type the RDB codecs do not carry. */
  public static RdbValue toRdb(Object value) {
    if (value instanceof byte[] s) return new RdbValue.Str(s);
    if (value instanceof ListValue l) return new RdbValue.ListVal(l.copy().elements());
    if (value instanceof SetValue s) return new RdbValue.SetVal(Arrays.asList(s.members()));
    if (value instanceof ZSetValue z) {
      List<RdbValue.Member> members = new ArrayList<>(z.size());
      for (ZSetValue.Node n = z.first(); n != null; n = n.next()) {
        members.add(new RdbValue.Member(n.member, n.score));
      }
      return new RdbValue.ZSetVal(members);
    }
    if (value instanceof HashValue h) {
      List<RdbValue.Field> fields = new ArrayList<>(h.size());
      h.forEach((f, v) -> fields.add(new RdbValue.Field(f, v)));
      return new RdbValue.HashVal(fields);
    }
    if (value instanceof StreamValue st) return streamToRdb(st);
    return null;
  }

  private static RdbValue.StreamId rdbId(StreamId id) {
    return new RdbValue.StreamId(id.ms(), id.seq());
  }

  private static StreamId storeId(RdbValue.StreamId id) {
    return new StreamId(id.ms(), id.seq());
  }

  /** A stream's RDB form; node listpacks are copied (the keyspace changes them in place). */
  private static RdbValue.StreamVal streamToRdb(StreamValue st) {
    List<RdbValue.StreamNode> nodes = new ArrayList<>(st.nodeCount());
    st.forEachNode((master, lp) -> nodes.add(new RdbValue.StreamNode(rdbId(master), lp)));
    List<RdbValue.StreamGroup> groups = new ArrayList<>(st.groupCount());
    for (StreamGroup g : st.groups()) {
      List<RdbValue.StreamNack> pel = new ArrayList<>(g.pending.size());
      g.pending.forEach((id, n) -> pel.add(new RdbValue.StreamNack(rdbId(id), n.deliveryTime, n.deliveryCount)));
      List<RdbValue.StreamConsumer> consumers = new ArrayList<>(g.consumers.size());
      for (StreamGroup.Consumer c : g.consumers.values()) {
        List<RdbValue.StreamId> ids = new ArrayList<>(c.pending.size());
        for (StreamId id : c.pending.keySet()) ids.add(rdbId(id));
        consumers.add(new RdbValue.StreamConsumer(c.name, c.seenTime, ids));
      }
      groups.add(new RdbValue.StreamGroup(g.name, rdbId(g.lastId), g.entriesRead, pel, consumers));
    }
    return new RdbValue.StreamVal(nodes, st.length(), rdbId(st.lastId()), rdbId(st.firstId()),
        rdbId(st.maxDeletedId()), st.entriesAdded(), groups);
  }

  /**
   * A keyspace stream from its RDB form, every node checked; {@link IllegalArgumentException} when the value is
   * not a valid stream (a consumer's pending ID missing from its group's list, a malformed listpack...).
   */
  static StreamValue streamFromRdb(RdbValue.StreamVal v) {
    StreamValue st = new StreamValue();
    for (RdbValue.StreamNode n : v.nodes()) {
      String why = st.addLoadedNode(storeId(n.master()), n.listpack());
      if (why != null) throw new IllegalArgumentException(why);
    }
    String why = st.loaded(v.length(), storeId(v.lastId()), v.firstId() == null ? null : storeId(v.firstId()),
        storeId(v.maxDeletedId()), v.entriesAdded());
    if (why != null) throw new IllegalArgumentException(why);
    for (RdbValue.StreamGroup rg : v.groups()) {
      StreamId last = storeId(rg.lastId());
      long read = rg.entriesRead();
      if (read == StreamGroup.UNKNOWN_READ && v.entriesAdded() < 0) read = st.estimateDistance(last);
      StreamGroup g = st.createGroup(rg.name(), last, read);
      if (g == null) throw new IllegalArgumentException("duplicate consumer group");
      Map<StreamId, RdbValue.StreamNack> nacks = new HashMap<>();
      for (RdbValue.StreamNack n : rg.pending()) {
        if (nacks.put(storeId(n.id()), n) != null) throw new IllegalArgumentException("duplicate pending entry");
      }
      for (RdbValue.StreamConsumer rc : rg.consumers()) {
        if (g.consumer(rc.name()) != null) throw new IllegalArgumentException("duplicate consumer");
        StreamGroup.Consumer c = g.addConsumer(rc.name(), rc.seenTime());
        for (RdbValue.StreamId rid : rc.pending()) {
          StreamId id = storeId(rid);
          RdbValue.StreamNack n = nacks.get(id);
          if (n == null || g.pending.containsKey(id)) {
            throw new IllegalArgumentException("consumer pending entry not in its group's list");
          }
          StreamGroup.Nack nack = new StreamGroup.Nack(c, n.deliveryTime(), n.deliveryCount());
          g.pending.put(id, nack);
          c.pending.put(id, nack);
        }
      }
      if (g.pending.size() != nacks.size()) throw new IllegalArgumentException("pending entry without a consumer");
    }
    return st;
  }

  /** A keyspace value from its RDB form. */
  public static Object fromRdb(RdbValue v, EncodingLimits lim) {
    if (v instanceof RdbValue.Str s) return s.value();
    if (v instanceof RdbValue.ListVal l) {
      ListValue list = new ListValue();
      int fill = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, lim.listMaxListpackSize));
      for (byte[] e : l.elements()) list.push(e, 0, e.length, false, fill);
      return list;
    }
    if (v instanceof RdbValue.SetVal s) {
      SetValue set = s.members().isEmpty() ? SetValue.emptyIntset()
          : SetValue.createFor(s.members().get(0), 0, s.members().get(0).length);
      for (byte[] m : s.members()) set.add(m, lim.setMaxIntsetEntries);
      return set;
    }
    if (v instanceof RdbValue.ZSetVal z) {
      // Redis loads a sorted set as a skiplist and converts it once loaded when it fits a listpack: the encoding
      // follows from the whole set, and only a listpack turns a -0 score into 0
      boolean big = z.members().size() > lim.zsetMaxListpackEntries
          || z.members().stream().anyMatch(m -> m.member().length > lim.zsetMaxListpackValue);
      if (!big) {
        int n = z.members().size();
        double[] scores = new double[n];
        byte[][] members = new byte[n][];
        for (int i = 0; i < n; i++) {
          scores[i] = z.members().get(i).score();
          members[i] = z.members().get(i).member();
        }
        ZSetValue packed = ZSetValue.listpackOf(scores, members);
        if (packed != null) return packed;
      }
      ZSetValue zset = new ZSetValue(big);
      for (RdbValue.Member m : z.members()) zset.put(m.score(), Bytes.wrap(m.member()));
      return zset;
    }
    if (v instanceof RdbValue.StreamVal st) return streamFromRdb(st);
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
