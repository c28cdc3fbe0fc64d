package dev.vireo.persistence.rdb;

import dev.vireo.persistence.rdb.RdbValue.Field;
import dev.vireo.persistence.rdb.RdbValue.HashVal;
import dev.vireo.persistence.rdb.RdbValue.ListVal;
import dev.vireo.persistence.rdb.RdbValue.Member;
import dev.vireo.persistence.rdb.RdbValue.SetVal;
import dev.vireo.persistence.rdb.RdbValue.Str;
import dev.vireo.persistence.rdb.RdbValue.ZSetVal;
import dev.vireo.util.Doubles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** One value in the RDB: its type byte and body, shared by the file codecs and DUMP payloads. */
final class ValueCodec {
  /** Sorted-set order: score, then member bytes unsigned, as Redis's skiplist orders them. */
  static final Comparator<Member> ZSET_ORDER =
      Comparator.comparingDouble(Member::score).thenComparing(Member::member, Arrays::compareUnsigned);

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
      int size = Listpack.entrySize(e);
      size += Listpack.backlenSize(size);
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
        entries.add(formatScore(m.score()));
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
      case RdbFormat.TYPE_MODULE_PRE_GA:
      case RdbFormat.TYPE_MODULE_2:
      case RdbFormat.TYPE_STREAM_LISTPACKS:
      case RdbFormat.TYPE_STREAM_LISTPACKS_2:
      case RdbFormat.TYPE_STREAM_LISTPACKS_3:
        throw new RdbException("unsupported value type " + type + " (" + RdbFormat.typeName(type) + ") for key "
            + printable(key) + " at offset " + in.offset());
      default:
        throw new RdbException("unknown value type " + type + " for key " + printable(key) + " at offset "
            + in.offset());
    }
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
