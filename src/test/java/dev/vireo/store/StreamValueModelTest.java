package dev.vireo.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.vireo.resp.Args;
import dev.vireo.util.ListpackBytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Seeded random appends, deletes and trims on a stream, checked after every step against a plain sorted map of
 * entries: contents in both directions, length, and that every node's listpack reads back whole (counts, flags,
 * deltas, the header) when loaded as an RDB node would be. Widths that change as counters grow (127 to 128
 * entries, 13-bit to 16-bit integers) are crossed on purpose.
 */
class StreamValueModelTest {
  @Test
  void randomOperationsMatchASortedMap() {
    long seed = Long.getLong("vireo.stream.seed", 20261202L);
    Random rnd = new Random(seed);
    for (int round = 0; round < 20; round++) {
      StreamValue s = new StreamValue();
      TreeMap<StreamId, List<String>> model = new TreeMap<>();
      long maxEntries = rnd.nextBoolean() ? 0 : 1 + rnd.nextInt(300);
      long maxBytes = rnd.nextBoolean() ? 4096 : 64 + rnd.nextInt(8000);
      long ms = rnd.nextInt(3) == 0 ? 0 : rnd.nextLong() & Long.MAX_VALUE;
      long seq = 0;
      for (int step = 0; step < 600; step++) {
        int op = rnd.nextInt(10);
        String where = "seed " + seed + " round " + round + " step " + step;
        if (op < 7) {
          if (rnd.nextInt(4) == 0) {
            ms += 1 + rnd.nextInt(100_000);
            seq = rnd.nextInt(3) == 0 ? rnd.nextInt(10_000) : 0;
          } else {
            seq += 1 + (rnd.nextInt(5) == 0 ? rnd.nextInt(70_000) : 0);
          }
          StreamId id = new StreamId(ms, seq);
          List<String> fv = new ArrayList<>();
          int pairs = 1 + rnd.nextInt(3);
          boolean same = rnd.nextBoolean();
          for (int i = 0; i < pairs; i++) {
            fv.add(same ? "f" + i : "g" + rnd.nextInt(4));
            fv.add(value(rnd));
          }
          List<String> argv = new ArrayList<>(List.of("XADD", "k", id.toString()));
          argv.addAll(fv);
          s.append(id, Args.of(argv.toArray(new String[0])), 3, pairs, maxBytes, maxEntries);
          model.put(id, fv);
        } else if (op < 9 && !model.isEmpty()) {
          List<StreamId> ids = new ArrayList<>(model.keySet());
          StreamId victim = ids.get(rnd.nextInt(ids.size()));
          assertEquals(1, s.delete(new StreamId[] {victim}), where);
          model.remove(victim);
        } else {
          long maxlen = rnd.nextInt(model.size() + 2);
          long removed = s.trim(maxlen, null, false, 0);
          long expect = Math.max(0, model.size() - maxlen);
          assertEquals(expect, removed, where);
          while (model.size() > maxlen) model.pollFirstEntry();
        }
        check(s, model, where);
      }
    }
  }

  private static String value(Random rnd) {
    return switch (rnd.nextInt(5)) {
      case 0 -> Long.toString(rnd.nextLong());
      case 1 -> Integer.toString(rnd.nextInt(200) - 100);
      case 2 -> "x".repeat(rnd.nextInt(5000));
      case 3 -> "";
      default -> "v" + rnd.nextInt(1000);
    };
  }

  private static void check(StreamValue s, TreeMap<StreamId, List<String>> model, String where) {
    assertEquals(model.size(), s.length(), where);
    List<StreamId> forward = new ArrayList<>();
    StreamValue.Cursor c = s.range(StreamId.MIN, StreamId.MAX, false);
    while (c.next()) {
      forward.add(c.id());
      List<String> fv = new ArrayList<>();
      for (int p : c.fields()) fv.add(new String(ListpackBytes.bytesAt(c.listpack(), p)));
      assertEquals(model.get(c.id()), fv, where + " entry " + c.id());
    }
    assertEquals(new ArrayList<>(model.keySet()), forward, where);
    List<StreamId> backward = new ArrayList<>();
    StreamValue.Cursor r = s.range(StreamId.MIN, StreamId.MAX, true);
    while (r.next()) backward.add(0, r.id());
    assertEquals(forward, backward, where);
    // every node reads back whole, as it would from an RDB file
    StreamValue copy = new StreamValue();
    List<byte[]> lps = new ArrayList<>();
    s.forEachNode((master, lp) -> {
      assertNull(copy.addLoadedNode(master, lp), where);
      lps.add(lp);
    });
    assertNull(copy.loaded(s.length(), s.lastId(), null, StreamId.MIN, -1), where);
    List<byte[]> again = new ArrayList<>();
    copy.forEachNode((master, lp) -> again.add(lp));
    assertEquals(lps.size(), again.size(), where);
    for (int i = 0; i < lps.size(); i++) assertArrayEquals(lps.get(i), again.get(i), where);
    if (!model.isEmpty()) {
      assertEquals(model.firstKey(), s.firstLiveId(), where);
      assertEquals(model.lastKey(), s.lastLiveId(), where);
      Map.Entry<StreamId, List<String>> mid = model.floorEntry(model.lastKey());
      assertEquals(true, s.contains(mid.getKey()), where);
    }
  }
}
