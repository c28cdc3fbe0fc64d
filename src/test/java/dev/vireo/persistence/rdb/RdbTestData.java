package dev.vireo.persistence.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.persistence.rdb.RdbValue.Field;
import dev.vireo.persistence.rdb.RdbValue.HashVal;
import dev.vireo.persistence.rdb.RdbValue.ListVal;
import dev.vireo.persistence.rdb.RdbValue.Member;
import dev.vireo.persistence.rdb.RdbValue.SetVal;
import dev.vireo.persistence.rdb.RdbValue.Str;
import dev.vireo.persistence.rdb.RdbValue.ZSetVal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Values of every type in small and large encodings, and a way to compare them. */
final class RdbTestData {
  private RdbTestData() {}

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String s(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Key name to value; keys carry their intended encoding in their names. */
  static Map<String, RdbValue> sample() {
    Map<String, RdbValue> m = new LinkedHashMap<>();
    m.put("str:small", new Str(b("hello")));
    m.put("str:empty", new Str(new byte[0]));
    m.put("str:int8", new Str(b("-12")));
    m.put("str:int16", new Str(b("30000")));
    m.put("str:int32", new Str(b("-2000000000")));
    m.put("str:int64", new Str(b("9223372036854775807")));
    m.put("str:lead0", new Str(b("007")));
    m.put("str:lzf", new Str(b("abcdefghij".repeat(500))));
    m.put("str:binary", new Str(new byte[] {0, (byte) 0xFF, 13, 10, (byte) 0x80}));
    m.put("list:small", new ListVal(bytesList("a", "1", "-5", "", "300", "hello world", "9999999999")));
    List<byte[]> bigList = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      bigList.add(b(i % 3 == 0 ? Integer.toString(i * 1000) : "element-" + i));
    }
    m.put("list:big", new ListVal(bigList));
    m.put("set:ints", new SetVal(bytesList("1", "-3", "70000", "5")));
    m.put("set:bigints", new SetVal(bytesList("1", "9223372036854775807", "-9223372036854775808")));
    m.put("set:strings", new SetVal(bytesList("apple", "banana", "7")));
    List<byte[]> manyInts = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      manyInts.add(b(Integer.toString(i * 7)));
    }
    m.put("set:manyints", new SetVal(manyInts));
    m.put("zset:small", new ZSetVal(List.of(new Member(b("a"), 1), new Member(b("b"), 2.5),
        new Member(b("c"), Double.POSITIVE_INFINITY), new Member(b("d"), Double.NEGATIVE_INFINITY),
        new Member(b("e"), -0.1), new Member(b("f"), 1e300), new Member(b("g"), 123456789012.0))));
    List<Member> bigZ = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      bigZ.add(new Member(b("member-" + i), i / 3.0));
    }
    bigZ.add(new Member(b("top"), Double.POSITIVE_INFINITY));
    bigZ.add(new Member(b("bottom"), Double.NEGATIVE_INFINITY));
    m.put("zset:big", new ZSetVal(bigZ));
    m.put("zset:longmember", new ZSetVal(List.of(new Member(b("m".repeat(100)), 3))));
    m.put("hash:small", new HashVal(List.of(new Field(b("f1"), b("v1")), new Field(b("n"), b("42")),
        new Field(b("empty"), new byte[0]))));
    List<Field> bigH = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      bigH.add(new Field(b("field-" + i), b(i % 2 == 0 ? Integer.toString(i) : "value-" + i)));
    }
    m.put("hash:big", new HashVal(bigH));
    m.put("hash:longvalue", new HashVal(List.of(new Field(b("f"), b("v".repeat(65))))));
    return m;
  }

  static List<byte[]> bytesList(String... values) {
    List<byte[]> out = new ArrayList<>();
    for (String v : values) {
      out.add(b(v));
    }
    return out;
  }

  /**
   * A comparable text form: lists in order; sets, hashes and sorted sets in a canonical order (sets and hashes
   * are unordered in Redis).
   */
  static String canonical(RdbValue v) {
    if (v instanceof Str s) {
      return "string:" + hex(s.value());
    } else if (v instanceof ListVal l) {
      return "list:" + l.elements().stream().map(RdbTestData::hex).toList();
    } else if (v instanceof SetVal s) {
      return "set:" + s.members().stream().map(RdbTestData::hex).sorted().toList();
    } else if (v instanceof ZSetVal z) {
      List<Member> sorted = new ArrayList<>(z.members());
      sorted.sort(ValueCodec.ZSET_ORDER);
      return "zset:" + sorted.stream().map(m -> hex(m.member()) + "=" + m.score()).toList();
    } else if (v instanceof RdbValue.StreamVal st) {
      return canonicalStream(st);
    }
    HashVal h = (HashVal) v;
    List<Field> sorted = new ArrayList<>(h.fields());
    sorted.sort(Comparator.comparing(f -> hex(f.field())));
    return "hash:" + sorted.stream().map(f -> hex(f.field()) + "=" + hex(f.value())).toList();
  }

  /** A stream: every node's listpack bytes and all the metadata, groups, PELs and consumers. */
  static String canonicalStream(RdbValue.StreamVal st) {
    StringBuilder sb = new StringBuilder("stream:");
    for (RdbValue.StreamNode n : st.nodes()) {
      sb.append(id(n.master())).append('=').append(hex(n.listpack())).append(';');
    }
    sb.append(" length=").append(st.length()).append(" last=").append(id(st.lastId()))
        .append(" first=").append(st.firstId() == null ? "null" : id(st.firstId()))
        .append(" maxdel=").append(id(st.maxDeletedId())).append(" added=").append(st.entriesAdded());
    for (RdbValue.StreamGroup g : st.groups()) {
      sb.append(" group ").append(hex(g.name())).append(" last=").append(id(g.lastId()))
          .append(" read=").append(g.entriesRead()).append(" pel=[");
      for (RdbValue.StreamNack n : g.pending()) {
        sb.append(id(n.id())).append('@').append(n.deliveryTime()).append('x').append(n.deliveryCount()).append(',');
      }
      sb.append("] consumers=[");
      for (RdbValue.StreamConsumer c : g.consumers()) {
        sb.append(hex(c.name())).append('@').append(c.seenTime()).append(
            c.pending().stream().map(RdbTestData::id).toList()).append(',');
      }
      sb.append(']');
    }
    return sb.toString();
  }

  static String id(RdbValue.StreamId id) {
    return Long.toUnsignedString(id.ms()) + "-" + Long.toUnsignedString(id.seq());
  }

  static void assertSameValue(RdbValue expected, RdbValue actual, String what) {
    assertEquals(canonical(expected), canonical(actual), what);
  }

  static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (byte x : bytes) {
      int c = x & 0xFF;
      if (c >= 0x20 && c < 0x7F && c != '\\') {
        sb.append((char) c);
      } else {
        sb.append(String.format("\\x%02x", c));
      }
    }
    return sb.toString();
  }

  /** Records every callback of a reader. */
  static final class Recorder implements RdbVisitor {
    final Map<String, byte[]> aux = new LinkedHashMap<>();
    final List<Integer> dbs = new ArrayList<>();
    final List<long[]> resizes = new ArrayList<>();
    final Map<String, RdbValue> keys = new LinkedHashMap<>(); // "db/key"
    final Map<String, Long> expires = new LinkedHashMap<>();
    final List<byte[]> functions = new ArrayList<>();
    Boolean ended;

    @Override
    public void aux(String name, byte[] value) {
      aux.put(name, value);
    }

    @Override
    public void selectDb(int db) {
      dbs.add(db);
    }

    @Override
    public void resizeDb(long keys, long expires) {
      resizes.add(new long[] {keys, expires});
    }

    @Override
    public void function(byte[] code) {
      functions.add(code);
    }

    @Override
    public void key(int db, byte[] key, RdbValue value, long expireAtMillis) {
      keys.put(db + "/" + s(key), value);
      expires.put(db + "/" + s(key), expireAtMillis);
    }

    @Override
    public void end(boolean checksumOk) {
      ended = checksumOk;
    }
  }
}
