package dev.vireo.persistence;

import dev.vireo.persistence.rdb.RdbValue;
import dev.vireo.store.StreamGroup;
import dev.vireo.store.StreamId;
import dev.vireo.store.StreamValue;
import dev.vireo.util.Doubles;
import dev.vireo.util.ListpackBytes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The dataset as the commands that rebuild it, as Redis 7.0 writes an AOF base without the RDB preamble: SELECT
 * per database, SET, RPUSH/SADD/ZADD/HMSET in batches of 64 items, PEXPIREAT for a TTL; a stream as its XADDs (or
 * the MAXLEN 0 trick for an empty one), XSETID with its counters, XGROUP CREATE per group, CREATECONSUMER per
 * consumer and an XCLAIM per pending entry; FUNCTION LOAD per library.
 */
final class AofCommands {
  private static final int ITEMS_PER_COMMAND = 64;

  private final OutputStream out;

  AofCommands(OutputStream out) {
    this.out = out;
  }

  /** The {@code #TS:} annotation a base starts with under {@code aof-timestamp-enabled}. */
  void timestamp(long unixSeconds) throws IOException {
    out.write(("#TS:" + unixSeconds + "\r\n").getBytes(StandardCharsets.US_ASCII));
  }

  void function(byte[] code) throws IOException {
    command(List.of(ascii("FUNCTION"), ascii("LOAD"), code));
  }

  void select(int db) throws IOException {
    command(List.of(ascii("SELECT"), ascii(Integer.toString(db))));
  }

  void key(byte[] key, RdbValue v, long expireAt) throws IOException {
    if (v instanceof RdbValue.Str s) {
      command(List.of(ascii("SET"), key, s.value()));
    } else if (v instanceof RdbValue.ListVal l) {
      batches("RPUSH", key, l.elements());
    } else if (v instanceof RdbValue.SetVal s) {
      batches("SADD", key, s.members());
    } else if (v instanceof RdbValue.ZSetVal z) {
      List<byte[]> items = new ArrayList<>(z.members().size() * 2);
      for (RdbValue.Member m : z.members()) {
        items.add(ascii(Doubles.format(m.score())));
        items.add(m.member());
      }
      batches("ZADD", key, items, 2);
    } else if (v instanceof RdbValue.HashVal h) {
      List<byte[]> items = new ArrayList<>(h.fields().size() * 2);
      for (RdbValue.Field f : h.fields()) {
        items.add(f.field());
        items.add(f.value());
      }
      batches("HMSET", key, items, 2);
    } else if (v instanceof RdbValue.StreamVal st) {
      stream(key, RdbValues.streamFromRdb(st));
    }
    if (expireAt >= 0) command(List.of(ascii("PEXPIREAT"), key, ascii(Long.toString(expireAt))));
  }

  private void batches(String name, byte[] key, List<byte[]> items) throws IOException {
    batches(name, key, items, 1);
  }

  /** Items in commands of at most 64 items, each item {@code width} arguments (a score and member...). */
  private void batches(String name, byte[] key, List<byte[]> items, int width) throws IOException {
    int per = ITEMS_PER_COMMAND * width;
    for (int from = 0; from < items.size(); from += per) {
      List<byte[]> argv = new ArrayList<>();
      argv.add(ascii(name));
      argv.add(key);
      argv.addAll(items.subList(from, Math.min(items.size(), from + per)));
      command(argv);
    }
  }

  private void stream(byte[] key, StreamValue s) throws IOException {
    if (s.length() > 0) {
      StreamValue.Cursor c = s.range(StreamId.MIN, StreamId.MAX, false);
      while (c.next()) {
        List<byte[]> argv = new ArrayList<>();
        argv.add(ascii("XADD"));
        argv.add(key);
        argv.add(c.id().bytes());
        for (int p : c.fields()) argv.add(ListpackBytes.bytesAt(c.listpack(), p));
        command(argv);
      }
    } else {
      // an empty stream: created by an entry that the same command trims away
      command(List.of(ascii("XADD"), key, ascii("MAXLEN"), ascii("0"), ascii("0-1"), ascii("x"), ascii("y")));
    }
    command(List.of(ascii("XSETID"), key, s.lastId().bytes(), ascii("ENTRIESADDED"),
        ascii(Long.toString(s.entriesAdded())), ascii("MAXDELETEDID"), s.maxDeletedId().bytes()));
    for (StreamGroup g : s.groups()) {
      command(List.of(ascii("XGROUP"), ascii("CREATE"), key, g.name, g.lastId.bytes(), ascii("ENTRIESREAD"),
          ascii(Long.toString(g.entriesRead))));
      for (StreamGroup.Consumer consumer : g.consumers.values()) {
        command(List.of(ascii("XGROUP"), ascii("CREATECONSUMER"), key, g.name, consumer.name));
        for (Map.Entry<StreamId, StreamGroup.Nack> e : consumer.pending.entrySet()) {
          command(List.of(ascii("XCLAIM"), key, g.name, consumer.name, ascii("0"), e.getKey().bytes(), ascii("TIME"),
              ascii(Long.toString(e.getValue().deliveryTime)), ascii("RETRYCOUNT"),
              ascii(Long.toString(e.getValue().deliveryCount)), ascii("JUSTID"), ascii("FORCE")));
        }
      }
    }
  }

  private void command(List<byte[]> argv) throws IOException {
    out.write(('*' + Integer.toString(argv.size()) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (byte[] a : argv) {
      out.write(('$' + Integer.toString(a.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(a);
      out.write('\r');
      out.write('\n');
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
