package dev.vireo.command;

import dev.vireo.store.Bytes;
import dev.vireo.store.ZSetValue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both layouts (the packed listpack form and the skip list) against a sorted list model: order, ranks, rank
 * lookups, neighbours both ways, score ranges, removal of rank ranges, and copies.
 */
class ZSetValueModelTest {
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void matchesSortedModel(boolean skiplist) {
    Random rnd = new Random(42);
    ZSetValue z = new ZSetValue(skiplist);
    Map<Bytes, Double> model = new HashMap<>();
    int members = skiplist ? 500 : 60;
    for (int step = 0; step < 20000; step++) {
      Bytes m = Bytes.of("m" + rnd.nextInt(members) + "x".repeat(rnd.nextInt(3) * 20));
      double score = switch (rnd.nextInt(4)) {
        case 0 -> rnd.nextInt(50) - 25 + (rnd.nextBoolean() ? 0.5 : 0);
        case 1 -> rnd.nextInt(70000) - 35000;
        case 2 -> rnd.nextDouble() * 1e6;
        default -> rnd.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
      };
      int op = rnd.nextInt(10);
      if (op < 6) {
        assertEquals(!model.containsKey(m), z.put(score, m));
        model.put(m, score);
      } else if (op < 9) {
        assertEquals(model.remove(m) != null, z.remove(m));
      } else if (z.size() > 0) {
        List<Bytes> sorted = sorted(model);
        int first = rnd.nextInt(sorted.size());
        int n = rnd.nextInt(4);
        z.removeRanks(first, n);
        for (int i = first; i < Math.min(sorted.size(), first + n); i++) model.remove(sorted.get(i));
      }
      if (step % 250 == 0) verify(z, model);
    }
    verify(z, model);
    assertEquals(skiplist ? "skiplist" : "listpack", z.encoding());
  }

  private static List<Bytes> sorted(Map<Bytes, Double> model) {
    List<Map.Entry<Bytes, Double>> sorted = new ArrayList<>(model.entrySet());
    sorted.sort(Comparator.<Map.Entry<Bytes, Double>>comparingDouble(Map.Entry::getValue)
        .thenComparing(Map.Entry::getKey));
    List<Bytes> out = new ArrayList<>();
    for (Map.Entry<Bytes, Double> e : sorted) out.add(e.getKey());
    return out;
  }

  private static void verify(ZSetValue z, Map<Bytes, Double> model) {
    List<Bytes> sorted = sorted(model);
    assertEquals(sorted.size(), z.size());
    ZSetValue.Node n = z.first();
    for (int i = 0; i < sorted.size(); i++) {
      Bytes m = sorted.get(i);
      assertArrayEquals(m.array(), n.member);
      assertEquals(model.get(m), n.score);
      assertEquals(i, z.rank(n));
      assertArrayEquals(m.array(), z.byRank(i).member);
      assertEquals(i, z.rank(z.find(m)));
      assertEquals(model.get(m), z.find(m).score);
      n = n.next();
    }
    assertNull(n);
    // Backwards from the end, as ZREVRANGE walks.
    n = z.last();
    for (int i = sorted.size() - 1; i >= 0; i--) {
      assertArrayEquals(sorted.get(i).array(), n.member);
      n = n.prev();
    }
    assertNull(n);
    assertNull(z.byRank(sorted.size()));
    ZSetValue.ScoreRange r = new ZSetValue.ScoreRange(-3, true, 7.5, false);
    ZSetValue.Node f = z.firstIn(r);
    ZSetValue.Node l = z.lastIn(r);
    List<Bytes> expected = new ArrayList<>();
    for (Bytes m : sorted) if (model.get(m) > -3 && model.get(m) <= 7.5) expected.add(m);
    if (expected.isEmpty()) {
      assertNull(f);
      assertNull(l);
    } else {
      assertArrayEquals(expected.get(0).array(), f.member);
      assertArrayEquals(expected.get(expected.size() - 1).array(), l.member);
      assertEquals(expected.size(), z.rank(l) - z.rank(f) + 1);
    }
    ZSetValue c = z.copy();
    assertEquals(z.encoding(), c.encoding());
    assertEquals(z.memory(), c.memory());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void copyIsDeep(boolean skiplist) {
    ZSetValue z = new ZSetValue(skiplist);
    z.put(1, Bytes.of("a"));
    ZSetValue c = z.copy();
    z.put(2, Bytes.of("b"));
    z.put(5, Bytes.of("a"));
    assertEquals(1, c.size());
    assertEquals(1.0, c.find(Bytes.of("a")).score);
    assertEquals(skiplist ? "skiplist" : "listpack", c.encoding());
    c.remove(Bytes.of("a"));
    assertEquals(0, c.size());
    assertEquals(2, z.size());
  }

  @Test
  void builtAtOnceEqualsBuiltByPuts() {
    Random rnd = new Random(9);
    for (int round = 0; round < 200; round++) {
      int n = rnd.nextInt(40);
      double[] scores = new double[n];
      byte[][] members = new byte[n][];
      ZSetValue byPuts = new ZSetValue(false);
      for (int i = 0; i < n; i++) {
        scores[i] = rnd.nextInt(4) == 0 ? -0.0 : rnd.nextInt(5) * (rnd.nextBoolean() ? 1 : 1e9 + 0.5);
        members[i] = ("m" + i * 7919 % 101).getBytes();
        byPuts.put(scores[i], Bytes.wrap(members[i]));
      }
      ZSetValue built = ZSetValue.listpackOf(scores, members);
      assertEquals(dump(byPuts), dump(built));
      assertEquals(byPuts.memory(), built.memory());
      assertEquals("listpack", built.encoding());
    }
    assertNull(ZSetValue.listpackOf(new double[] {1, 2}, new byte[][] {"a".getBytes(), "a".getBytes()}));
  }

  private static List<String> dump(ZSetValue z) {
    List<String> out = new ArrayList<>();
    for (ZSetValue.Node n = z.first(); n != null; n = n.next()) {
      out.add(new String(n.member) + "=" + Double.doubleToRawLongBits(n.score));
    }
    return out;
  }

  @Test
  void conversionKeepsOrderAndScores() {
    ZSetValue z = new ZSetValue(false);
    for (int i = 0; i < 40; i++) z.put(i % 7 * 1e10 - (i % 3) * 0.25, Bytes.of("k" + i));
    z.put(-0.0, Bytes.of("zero"));
    long listpackMemory = z.memory();
    List<String> before = new ArrayList<>();
    for (ZSetValue.Node n = z.first(); n != null; n = n.next()) before.add(new String(n.member) + "=" + n.score);
    z.forceSkiplist();
    List<String> after = new ArrayList<>();
    for (ZSetValue.Node n = z.first(); n != null; n = n.next()) after.add(new String(n.member) + "=" + n.score);
    assertEquals(before, after);
    assertEquals("skiplist", z.encoding());
    assertEquals(1, Double.compare(z.memory(), listpackMemory));
    assertEquals(0.0, z.find(Bytes.of("zero")).score); // a listpack keeps -0 as 0
  }
}
