package dev.vireo.command;

import dev.vireo.store.Bytes;
import dev.vireo.store.ZSetValue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The skip list against a sorted list model: order, ranks, rank lookups, neighbours and score ranges. */
class ZSetValueModelTest {
  @Test
  void matchesSortedModel() {
    Random rnd = new Random(42);
    ZSetValue z = new ZSetValue(true);
    Map<Bytes, Double> model = new HashMap<>();
    for (int step = 0; step < 20000; step++) {
      Bytes m = Bytes.of("m" + rnd.nextInt(500));
      double score = rnd.nextInt(50) - 25 + (rnd.nextBoolean() ? 0.5 : 0);
      int op = rnd.nextInt(3);
      if (op < 2) {
        assertEquals(!model.containsKey(m), z.put(score, m));
        model.put(m, score);
      } else {
        assertEquals(model.remove(m) != null, z.remove(m));
      }
      if (step % 500 == 0) verify(z, model);
    }
    verify(z, model);
  }

  private static void verify(ZSetValue z, Map<Bytes, Double> model) {
    List<Map.Entry<Bytes, Double>> sorted = new ArrayList<>(model.entrySet());
    sorted.sort(Comparator.<Map.Entry<Bytes, Double>>comparingDouble(Map.Entry::getValue)
        .thenComparing(Map.Entry::getKey));
    assertEquals(sorted.size(), z.size());
    ZSetValue.Node prev = null;
    ZSetValue.Node n = z.first();
    for (int i = 0; i < sorted.size(); i++) {
      assertEquals(sorted.get(i).getKey(), n.member);
      assertEquals(sorted.get(i).getValue(), n.score);
      assertEquals(i, z.rank(n));
      assertSame(n, z.byRank(i));
      assertSame(prev, n.prev());
      assertSame(n, z.find(n.member));
      prev = n;
      n = n.next();
    }
    assertNull(n);
    assertSame(prev, z.last());
    assertNull(z.byRank(sorted.size()));
    ZSetValue.ScoreRange r = new ZSetValue.ScoreRange(-3, true, 7.5, false);
    ZSetValue.Node f = z.firstIn(r);
    ZSetValue.Node l = z.lastIn(r);
    List<Bytes> expected = new ArrayList<>();
    for (Map.Entry<Bytes, Double> e : sorted) if (e.getValue() > -3 && e.getValue() <= 7.5) expected.add(e.getKey());
    if (expected.isEmpty()) {
      assertNull(f);
    } else {
      assertEquals(expected.get(0), f.member);
      assertEquals(expected.get(expected.size() - 1), l.member);
      assertEquals(expected.size(), z.rank(l) - z.rank(f) + 1);
    }
  }

  @Test
  void copyIsDeep() {
    ZSetValue z = new ZSetValue(false);
    z.put(1, Bytes.of("a"));
    ZSetValue c = z.copy();
    z.put(2, Bytes.of("b"));
    assertEquals(1, c.size());
    assertEquals("listpack", c.encoding());
  }
}
