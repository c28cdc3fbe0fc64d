package dev.vireo.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The TTL table against a plain map, under seeded random puts, replacements and removals that make it grow and
 * shrink many times: every entry's time, its TTL mark, the size and the draws agree with the model after each step.
 */
class ExpireSetTest {
  private static final long SEED = Long.getLong("vireo.seed", 20261203L);

  @Test
  void agreesWithAMapThroughGrowthAndShrinking() {
    Random rnd = new Random(SEED);
    ExpireSet set = new ExpireSet();
    Map<Entry, Long> model = new IdentityHashMap<>();
    List<Entry> pool = new ArrayList<>();
    for (int i = 0; i < 5000; i++) pool.add(new Entry(("k" + i).getBytes(), null));
    for (int step = 0; step < 200_000; step++) {
      Entry e = pool.get(rnd.nextInt(pool.size()));
      // phases that fill the table and then empty it, so it resizes both ways
      boolean filling = (step / 20_000) % 2 == 0;
      if (rnd.nextInt(10) < (filling ? 7 : 2)) {
        long at = rnd.nextInt(1_000_000);
        set.put(e, at);
        model.put(e, at);
      } else {
        assertEquals(model.remove(e) != null, set.remove(e), "remove says whether there was a TTL");
      }
      assertEquals(model.size(), set.size());
      if (step % 997 == 0) {
        for (Entry x : pool) {
          Long at = model.get(x);
          assertEquals(at == null ? -1 : at, set.at(x), "the time of an entry");
          assertEquals(at != null, x.hasTtl(), "the TTL mark of an entry");
        }
        if (!model.isEmpty()) {
          Entry drawn = set.random();
          assertTrue(model.containsKey(drawn), "a draw is an entry with a TTL");
          Entry[] out = new Entry[20];
          int n = set.sample(out, 20);
          assertEquals(Math.min(20, model.size()), n);
          for (int k = 0; k < n; k++) assertTrue(model.containsKey(out[k]));
        } else {
          assertEquals(null, set.random());
        }
      }
    }
    set.clear();
    assertEquals(0, set.size());
    for (Entry x : pool) assertEquals(false, x.hasTtl(), "clear drops every mark");
  }

  @Test
  void drawsReachEveryEntry() {
    ExpireSet set = new ExpireSet();
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Entry e = new Entry(("k" + i).getBytes(), null);
      entries.add(e);
      set.put(e, i);
    }
    Set<Entry> seen = new HashSet<>();
    for (int i = 0; i < 5000 && seen.size() < entries.size(); i++) seen.add(set.random());
    assertEquals(entries.size(), seen.size(), "5000 draws over 40 entries reach all of them");
  }
}
