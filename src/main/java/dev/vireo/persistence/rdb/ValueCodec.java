package dev.vireo.persistence.rdb;

import dev.vireo.persistence.rdb.RdbValue.Field;
import dev.vireo.persistence.rdb.RdbValue.HashVal;
import dev.vireo.persistence.rdb.RdbValue.ListVal;
import dev.vireo.persistence.rdb.RdbValue.Member;
import dev.vireo.persistence.rdb.RdbValue.SetVal;
import dev.vireo.persistence.rdb.RdbValue.Str;
import dev.vireo.persistence.rdb.RdbValue.StreamConsumer;
import dev.vireo.persistence.rdb.RdbValue.StreamGroup;
import dev.vireo.persistence.rdb.RdbValue.StreamId;
import dev.vireo.persistence.rdb.RdbValue.StreamNack;
import dev.vireo.persistence.rdb.RdbValue.StreamNode;
import dev.vireo.persistence.rdb.RdbValue.StreamVal;
import dev.vireo.persistence.rdb.RdbValue.ZSetVal;
import dev.vireo.util.Doubles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One value in the RDB: its type byte and body, shared by the file codecs and DUMP payloads. */
final class ValueCodec {
  /** Sorted-set order: score, then member bytes unsigned, as Redis's skiplist orders them. */
  static final Comparator<Member> ZSET_ORDER = (a, b) -> {
    // scores as C compares them: -0 equals 0, so the member decides, as in the skiplist
    if (a.score() != b.score()) return a.score() < b.score() ? -1 : 1;
    return Arrays.compareUnsigned(a.member(), b.member());
  };
  /** Stream ID order: both halves unsigned, as their 16-byte big-endian keys sort in Redis's radix trees. */
  static final Comparator<StreamId> ID_ORDER = (a, b) -> {
    int c = Long.compareUnsigned(a.ms(), b.ms());
    return c != 0 ? c : Long.compareUnsigned(a.seq(), b.seq());
  };

  private ValueCodec() {}

  // ------------------------------------------------------------------------------------------------- writing

  /** Writes the type byte, the key, then the body: one key of an RDB file. */
  static void writeKeyed(RdbOutput out, byte[] key, RdbValue value, RdbOptions options) throws IOException {
    write(out, key, value, options);
  }

  /** Writes the type byte, then the body: a DUMP payload's value. */
  static void write(RdbOutput out, RdbValue value, RdbOptions options) throws IOException {
    write(out, null, value, options);
  }

  /** The type byte, the key when not null, then the body. */
  private static void write(RdbOutput out, byte[] key, RdbValue value, RdbOptions options) throws IOException {
    if (value instanceof Str s) {
      out.writeByte(RdbFormat.TYPE_STRING);
      writeKey(out, key);
      out.writeString(s.value());
    } else if (value instanceof ListVal l) {
      writeList(out, key, l.elements(), options);
    } else if (value instanceof SetVal s) {
      writeSet(out, key, s.members(), options);
    } else if (value instanceof ZSetVal z) {
      writeZSet(out, key, z.members(), options);
    } else if (value instanceof HashVal h) {
      writeHash(out, key, h.fields(), options);
    } else if (value instanceof StreamVal st) {
      writeStream(out, key, st);
    } else {
      throw new IllegalArgumentException("unknown value " + value);
    }
  }

  private static void writeList(RdbOutput out, byte[] key, List<byte[]> elements, RdbOptions options) throws IOException {
    requireNotEmpty(elements.size(), "list");
    out.writeByte(RdbFormat.TYPE_LIST_QUICKLIST_2);
    writeKey(out, key);
    // group elements into nodes first: the node count comes before the nodes
    List<int[]> nodes = new ArrayList<>(); // {from, to, container}
    int maxBytes = options.listNodeBytes();
    int maxCount = options.listNodeCount();
    int from = 0;
    long bytes = Listpack.HEADER_SIZE + 1;
    for (int i = 0; i < elements.size(); i++) {
      byte[] e = elements.get(i);
      if (e.length >= options.listPackedThreshold()) {
        if (i > from) {
          nodes.add(new int[] {from, i, RdbFormat.QUICKLIST_NODE_PACKED});
        }
        nodes.add(new int[] {i, i + 1, RdbFormat.QUICKLIST_NODE_PLAIN});
        from = i + 1;
        bytes = Listpack.HEADER_SIZE + 1;
        continue;
      }
      int size = Listpack.elementSize(e);
      if (i > from && (bytes + size > maxBytes || i - from >= maxCount)) {
        nodes.add(new int[] {from, i, RdbFormat.QUICKLIST_NODE_PACKED});
        from = i;
        bytes = Listpack.HEADER_SIZE + 1;
      }
      bytes += size;
    }
    if (from < elements.size()) {
      nodes.add(new int[] {from, elements.size(), RdbFormat.QUICKLIST_NODE_PACKED});
    }
    out.writeLength(nodes.size());
    for (int[] node : nodes) {
      out.writeLength(node[2]);
      if (node[2] == RdbFormat.QUICKLIST_NODE_PLAIN) {
        out.writeString(elements.get(node[0]));
      } else {
        out.writeString(Listpack.encode(elements.subList(node[0], node[1])));
      }
    }
  }

  private static void writeSet(RdbOutput out, byte[] key, List<byte[]> members, RdbOptions options) throws IOException {
    requireNotEmpty(members.size(), "set");
    if (members.size() <= options.setMaxIntsetEntries() && members.stream().allMatch(Ints::isCanonicalLong)) {
      long[] values = members.stream().mapToLong(Ints::parse).sorted().distinct().toArray();
      out.writeByte(RdbFormat.TYPE_SET_INTSET);
      writeKey(out, key);
      out.writeString(Intset.encode(values));
      return;
    }
    out.writeByte(RdbFormat.TYPE_SET);
    writeKey(out, key);
    out.writeLength(members.size());
    for (byte[] m : members) {
      out.writeString(m);
    }
  }

  private static void writeZSet(RdbOutput out, byte[] key, List<Member> members, RdbOptions options) throws IOException {
    requireNotEmpty(members.size(), "sorted set");
    List<Member> sorted = new ArrayList<>(members);
    sorted.sort(ZSET_ORDER);
    for (Member m : sorted) {
      if (Double.isNaN(m.score())) {
        throw new IllegalArgumentException("sorted-set score is NaN");
      }
    }
    boolean small = sorted.size() <= options.zsetMaxListpackEntries()
        && sorted.stream().allMatch(m -> m.member().length <= options.zsetMaxListpackValue());
    if (small) {
      List<byte[]> entries = new ArrayList<>(sorted.size() * 2);
      for (Member m : sorted) {
        entries.add(m.member());
        // a -0 score is the integer 0 in a listpack, as Redis stores it on insert and when it converts a skiplist
        entries.add(formatScore(m.score() == 0 ? 0.0 : m.score()));
      }
      out.writeByte(RdbFormat.TYPE_ZSET_LISTPACK);
      writeKey(out, key);
      out.writeString(Listpack.encode(entries));
      return;
    }
    out.writeByte(RdbFormat.TYPE_ZSET_2);
    writeKey(out, key);
    out.writeLength(sorted.size());
    // greatest first, as Redis does, so that loading always inserts at the head
    for (int i = sorted.size() - 1; i >= 0; i--) {
      out.writeString(sorted.get(i).member());
      out.writeBinaryDouble(sorted.get(i).score());
    }
  }

  private static void writeHash(RdbOutput out, byte[] key, List<Field> fields, RdbOptions options) throws IOException {
    requireNotEmpty(fields.size(), "hash");
    int limit = options.hashMaxListpackValue();
    boolean small = fields.size() <= options.hashMaxListpackEntries()
        && fields.stream().allMatch(f -> f.field().length <= limit && f.value().length <= limit);
    if (small) {
      List<byte[]> entries = new ArrayList<>(fields.size() * 2);
      for (Field f : fields) {
        entries.add(f.field());
        entries.add(f.value());
      }
      out.writeByte(RdbFormat.TYPE_HASH_LISTPACK);
      writeKey(out, key);
      out.writeString(Listpack.encode(entries));
      return;
    }
    out.writeByte(RdbFormat.TYPE_HASH);
    writeKey(out, key);
    out.writeLength(fields.size());
    for (Field f : fields) {
      out.writeString(f.field());
      out.writeString(f.value());
    }
  }

  /**
   * A stream as Redis 7.0 writes it (type 19): the nodes (16-byte master ID and listpack, each a string, so the
   * listpack is LZF-compressed under the same rule as any string), the length, last ID, first ID, max deleted ID
   * and entries added, then each group with its last ID, entries read, PEL (raw ID, delivery time, delivery
   * count) and consumers (name, seen time, raw IDs of their pending entries). A value read from a type-15 stream
   * (no first ID, entries added -1) gets them as Redis computes them on load: the first live entry's ID (0-0 when
   * empty) and the length.
   */
  private static void writeStream(RdbOutput out, byte[] key, StreamVal s) throws IOException {
    out.writeByte(RdbFormat.TYPE_STREAM_LISTPACKS_2);
    writeKey(out, key);
    out.writeLength(s.nodes().size());
    for (StreamNode node : s.nodes()) {
      out.writeString(RdbOutput.rawStreamId(node.master()));
      out.writeString(node.listpack());
    }
    StreamId first = s.firstId();
    if (first == null) {
      first = new StreamId(0, 0);
      for (StreamNode node : s.nodes()) {
        try {
          StreamId live = StreamListpack.check(node.master(), node.listpack()).firstLive();
          if (live != null) {
            first = live;
            break;
          }
        } catch (RdbException e) {
          throw new IllegalArgumentException("corrupt stream node: " + e.getMessage(), e);
        }
      }
    }
    out.writeUnsignedLength(s.length());
    writeId(out, s.lastId());
    writeId(out, first);
    writeId(out, s.maxDeletedId());
    out.writeUnsignedLength(s.entriesAdded() == -1 ? s.length() : s.entriesAdded());
    out.writeLength(s.groups().size());
    for (StreamGroup g : s.groups()) {
      out.writeString(g.name());
      writeId(out, g.lastId());
      out.writeUnsignedLength(g.entriesRead()); // -1 (unknown) is written as 2^64 - 1, as Redis does
      out.writeLength(g.pending().size());
      for (StreamNack n : g.pending()) {
        out.writeRawStreamId(n.id());
        out.writeLongLE(n.deliveryTime(), 8);
        out.writeUnsignedLength(n.deliveryCount());
      }
      out.writeLength(g.consumers().size());
      for (StreamConsumer c : g.consumers()) {
        out.writeString(c.name());
        out.writeLongLE(c.seenTime(), 8);
        out.writeLength(c.pending().size());
        for (StreamId id : c.pending()) {
          out.writeRawStreamId(id);
        }
      }
    }
  }

  private static void writeId(RdbOutput out, StreamId id) throws IOException {
    out.writeUnsignedLength(id.ms());
    out.writeUnsignedLength(id.seq());
  }

  private static void writeKey(RdbOutput out, byte[] key) throws IOException {
    if (key != null) {
      out.writeString(key);
    }
  }

  private static void requireNotEmpty(int size, String what) {
    if (size == 0) {
      throw new IllegalArgumentException("an empty " + what + " cannot be stored: Redis has no empty collections");
    }
  }

  /**
   * A score as listpack text, spelled as Redis spells it: integers below 2^52 as integers, {@code inf}/{@code -inf},
   * else {@code %.17g} (0.1 is written "0.10000000000000001"), so a listpack is byte-identical to Redis's.
   */
  static byte[] formatScore(double d) {
    String s;
    if (d == Math.rint(d) && Math.abs(d) < 0x1p52 && !(d == 0 && 1 / d < 0)) {
      s = Long.toString((long) d);
    } else {
      s = Doubles.format(d);
    }
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  // ------------------------------------------------------------------------------------------------- reading

  /** Reads the body of a value of {@code type} (the type byte already consumed). */
  static RdbValue read(RdbInput in, int type, byte[] key) throws IOException {
    String what = RdbFormat.typeName(type) + " value of key " + printable(key);
    switch (type) {
      case RdbFormat.TYPE_STRING:
        return new Str(in.readString(what));
      case RdbFormat.TYPE_LIST: {
        return new ListVal(readStrings(in, in.readCount(what), what));
      }
      case RdbFormat.TYPE_SET:
        return new SetVal(readStrings(in, in.readCount(what), what));
      case RdbFormat.TYPE_ZSET:
      case RdbFormat.TYPE_ZSET_2: {
        int n = in.readCount(what);
        List<Member> members = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
          byte[] member = in.readString(what);
          double score = type == RdbFormat.TYPE_ZSET ? in.readTextDouble(what) : in.readBinaryDouble(what);
          members.add(checkScore(member, score, what));
        }
        members.sort(ZSET_ORDER);
        return new ZSetVal(members);
      }
      case RdbFormat.TYPE_HASH: {
        int n = in.readCount(what);
        List<Field> fields = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
          fields.add(new Field(in.readString(what), in.readString(what)));
        }
        return new HashVal(fields);
      }
      case RdbFormat.TYPE_HASH_ZIPMAP:
        return hashOf(Zipmap.decode(in.readString(what)), what);
      case RdbFormat.TYPE_LIST_ZIPLIST:
        return new ListVal(blob(in, what, false));
      case RdbFormat.TYPE_SET_INTSET: {
        long[] values = Intset.decode(in.readString(what));
        List<byte[]> members = new ArrayList<>(values.length);
        for (long v : values) {
          members.add(Ints.toBytes(v));
        }
        return new SetVal(members);
      }
      case RdbFormat.TYPE_ZSET_ZIPLIST:
        return zsetOf(blob(in, what, false), what);
      case RdbFormat.TYPE_HASH_ZIPLIST:
        return hashOf(blob(in, what, false), what);
      case RdbFormat.TYPE_LIST_QUICKLIST: {
        int nodes = in.readCount(what);
        List<byte[]> elements = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
          elements.addAll(blob(in, what, false));
        }
        return new ListVal(elements);
      }
      case RdbFormat.TYPE_HASH_LISTPACK:
        return hashOf(blob(in, what, true), what);
      case RdbFormat.TYPE_ZSET_LISTPACK:
        return zsetOf(blob(in, what, true), what);
      case RdbFormat.TYPE_SET_LISTPACK:
        return new SetVal(blob(in, what, true));
      case RdbFormat.TYPE_LIST_QUICKLIST_2: {
        int nodes = in.readCount(what);
        List<byte[]> elements = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
          long at = in.offset();
          long container = in.readLength(what);
          if (container == RdbFormat.QUICKLIST_NODE_PLAIN) {
            elements.add(in.readString(what));
          } else if (container == RdbFormat.QUICKLIST_NODE_PACKED) {
            elements.addAll(blob(in, what, true));
          } else {
            throw new RdbException("invalid quicklist node container " + container + " in " + what + " at offset "
                + at);
          }
        }
        return new ListVal(elements);
      }
      case RdbFormat.TYPE_STREAM_LISTPACKS:
      case RdbFormat.TYPE_STREAM_LISTPACKS_2:
      case RdbFormat.TYPE_STREAM_LISTPACKS_3:
        return readStream(in, type, what);
      case RdbFormat.TYPE_MODULE_PRE_GA:
      case RdbFormat.TYPE_MODULE_2:
        throw new RdbException("unsupported value type " + type + " (" + RdbFormat.typeName(type) + ") for key "
            + printable(key) + " at offset " + in.offset());
      default:
        throw new RdbException("unknown value type " + type + " for key " + printable(key) + " at offset "
            + in.offset());
    }
  }

  /**
   * A stream of type 15, 19 or 21. Every node's listpack is checked entry by entry ({@link StreamListpack}), and
   * the metadata against the nodes: the length must be the sum of the nodes' live counts, node IDs and group,
   * consumer and PEL entries must be unique, and every pending entry must belong to exactly one consumer.
   * Type 15 carries no first ID, max deleted ID, entries added nor entries read: they come back as null, 0-0, -1
   * and -1. Type 21 adds each consumer's active time, which is read and dropped.
   */
  private static StreamVal readStream(RdbInput in, int type, String what) throws IOException {
    long at = in.offset();
    int nodeCount = in.readCount(what);
    List<StreamNode> nodes = new ArrayList<>(Math.min(nodeCount, 1024));
    long live = 0;
    List<StreamId> lastEntries = new ArrayList<>(Math.min(nodeCount, 1024));
    for (int i = 0; i < nodeCount; i++) {
      long nodeAt = in.offset();
      byte[] rawKey = in.readString(what);
      if (rawKey.length != 16) {
        throw new RdbException("stream node key of " + rawKey.length + " bytes (not a stream ID) in " + what
            + " at offset " + nodeAt);
      }
      StreamId master = rawId(rawKey);
      long lpAt = in.offset();
      byte[] lp = in.readString(what);
      try {
        StreamListpack.Summary summary = StreamListpack.check(master, lp);
        live += summary.count();
        lastEntries.add(summary.last());
      } catch (RdbException e) {
        throw new RdbException(e.getMessage() + " in " + what + " at offset " + lpAt, e);
      }
      nodes.add(new StreamNode(master, lp));
    }
    // nodes in ID order, each starting after the previous one's last entry
    Integer[] order = new Integer[nodes.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> ID_ORDER.compare(nodes.get(x).master(), nodes.get(y).master()));
    List<StreamNode> sorted = new ArrayList<>(nodes.size());
    StreamId previousLast = null;
    for (int i : order) {
      StreamNode node = nodes.get(i);
      if (previousLast != null && ID_ORDER.compare(node.master(), previousLast) <= 0) {
        throw new RdbException("stream node " + idText(node.master()) + " overlaps the node before it in " + what
            + " at offset " + at);
      }
      previousLast = lastEntries.get(i);
      sorted.add(node);
    }
    long length = in.readUnsignedLength(what);
    StreamId lastId = readId(in, what);
    StreamId firstId = null;
    StreamId maxDeleted = new StreamId(0, 0);
    long entriesAdded = -1;
    boolean v2 = type != RdbFormat.TYPE_STREAM_LISTPACKS;
    if (v2) {
      firstId = readId(in, what);
      maxDeleted = readId(in, what);
      entriesAdded = in.readUnsignedLength(what);
    }
    if (previousLast != null && ID_ORDER.compare(lastId, previousLast) < 0) {
      throw new RdbException("stream last ID " + idText(lastId) + " is below its entry " + idText(previousLast)
          + " in " + what + " at offset " + at);
    }
    if (length != live) {
      throw new RdbException("stream length " + Long.toUnsignedString(length) + " but its nodes hold " + live
          + " entries in " + what + " at offset " + at);
    }
    int groupCount = in.readCount(what);
    List<StreamGroup> groups = new ArrayList<>(Math.min(groupCount, 1024));
    Set<String> groupNames = new HashSet<>();
    for (int g = 0; g < groupCount; g++) {
      long groupAt = in.offset();
      byte[] name = in.readString(what);
      if (!groupNames.add(new String(name, StandardCharsets.ISO_8859_1))) {
        throw new RdbException("duplicate consumer group " + printable(name) + " in " + what + " at offset "
            + groupAt);
      }
      StreamId groupLast = readId(in, what);
      long entriesRead = v2 ? in.readUnsignedLength(what) : -1;
      int pelSize = in.readCount(what);
      Map<StreamId, StreamNack> pel = new HashMap<>();
      List<StreamNack> pending = new ArrayList<>(Math.min(pelSize, 1024));
      for (int i = 0; i < pelSize; i++) {
        StreamId id = in.readRawStreamId(what);
        StreamNack nack = new StreamNack(id, in.readLongLE(8, what), in.readUnsignedLength(what));
        if (pel.put(id, nack) != null) {
          throw new RdbException("duplicate pending entry " + idText(id) + " in group " + printable(name) + " of "
              + what);
        }
        pending.add(nack);
      }
      pending.sort(Comparator.comparing(StreamNack::id, ID_ORDER));
      int consumerCount = in.readCount(what);
      List<StreamConsumer> consumers = new ArrayList<>(Math.min(consumerCount, 1024));
      Set<String> consumerNames = new HashSet<>();
      Set<StreamId> owned = new HashSet<>();
      for (int c = 0; c < consumerCount; c++) {
        byte[] cname = in.readString(what);
        if (!consumerNames.add(new String(cname, StandardCharsets.ISO_8859_1))) {
          throw new RdbException("duplicate consumer " + printable(cname) + " in group " + printable(name) + " of "
              + what);
        }
        long seen = in.readLongLE(8, what);
        if (type == RdbFormat.TYPE_STREAM_LISTPACKS_3) {
          in.readLongLE(8, what); // active time: Redis 7.2's, not kept
        }
        int n = in.readCount(what);
        List<StreamId> ids = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
          StreamId id = in.readRawStreamId(what);
          if (!pel.containsKey(id)) {
            throw new RdbException("consumer " + printable(cname) + " has pending entry " + idText(id)
                + " that is not in the PEL of group " + printable(name) + " in " + what);
          }
          if (!owned.add(id)) {
            throw new RdbException("pending entry " + idText(id) + " owned twice in group " + printable(name)
                + " of " + what);
          }
          ids.add(id);
        }
        ids.sort(ID_ORDER);
        consumers.add(new StreamConsumer(cname, seen, ids));
      }
      if (owned.size() != pel.size()) {
        throw new RdbException("group " + printable(name) + " has pending entries without a consumer in " + what);
      }
      consumers.sort(Comparator.comparing(StreamConsumer::name, Arrays::compareUnsigned));
      groups.add(new StreamGroup(name, groupLast, entriesRead, pending, consumers));
    }
    groups.sort(Comparator.comparing(StreamGroup::name, Arrays::compareUnsigned));
    return new StreamVal(sorted, length, lastId, firstId, maxDeleted, entriesAdded, groups);
  }

  private static StreamId readId(RdbInput in, String what) throws IOException {
    return new StreamId(in.readUnsignedLength(what), in.readUnsignedLength(what));
  }

  private static StreamId rawId(byte[] b) {
    long ms = 0;
    long seq = 0;
    for (int i = 0; i < 8; i++) {
      ms = (ms << 8) | (b[i] & 0xFF);
      seq = (seq << 8) | (b[8 + i] & 0xFF);
    }
    return new StreamId(ms, seq);
  }

  static String idText(StreamId id) {
    return Long.toUnsignedString(id.ms()) + "-" + Long.toUnsignedString(id.seq());
  }

  private static List<byte[]> readStrings(RdbInput in, int n, String what) throws IOException {
    List<byte[]> out = new ArrayList<>(Math.min(n, 1024));
    for (int i = 0; i < n; i++) {
      out.add(in.readString(what));
    }
    return out;
  }

  private static List<byte[]> blob(RdbInput in, String what, boolean listpack) throws IOException {
    long at = in.offset();
    byte[] blob = in.readString(what);
    try {
      return listpack ? Listpack.decode(blob) : Ziplist.decode(blob);
    } catch (RdbException e) {
      throw new RdbException(e.getMessage() + " in " + what + " at offset " + at, e);
    }
  }

  private static HashVal hashOf(List<byte[]> flat, String what) throws RdbException {
    if (flat.size() % 2 != 0) {
      throw new RdbException("odd number of entries (" + flat.size() + ") in " + what);
    }
    List<Field> fields = new ArrayList<>(flat.size() / 2);
    for (int i = 0; i < flat.size(); i += 2) {
      fields.add(new Field(flat.get(i), flat.get(i + 1)));
    }
    return new HashVal(fields);
  }

  private static ZSetVal zsetOf(List<byte[]> flat, String what) throws RdbException {
    if (flat.size() % 2 != 0) {
      throw new RdbException("odd number of entries (" + flat.size() + ") in " + what);
    }
    List<Member> members = new ArrayList<>(flat.size() / 2);
    for (int i = 0; i < flat.size(); i += 2) {
      double score;
      try {
        score = RdbInput.parseDouble(flat.get(i + 1));
      } catch (NumberFormatException e) {
        throw new RdbException("invalid score '" + new String(flat.get(i + 1), StandardCharsets.ISO_8859_1)
            + "' in " + what);
      }
      members.add(checkScore(flat.get(i), score, what));
    }
    return new ZSetVal(members);
  }

  private static Member checkScore(byte[] member, double score, String what) throws RdbException {
    if (Double.isNaN(score)) {
      throw new RdbException("NaN score in " + what);
    }
    return new Member(member, score);
  }

  /** A key for an error message: quoted, escaped, cut at 64 bytes. */
  static String printable(byte[] key) {
    StringBuilder sb = new StringBuilder("'");
    int n = Math.min(key.length, 64);
    for (int i = 0; i < n; i++) {
      int b = key[i] & 0xFF;
      if (b >= 0x20 && b < 0x7F && b != '\'' && b != '\\') {
        sb.append((char) b);
      } else {
        sb.append(String.format("\\x%02x", b));
      }
    }
    if (key.length > n) {
      sb.append("...");
    }
    return sb.append('\'').toString();
  }
}
