package dev.vireo.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DictTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String s(Entry e) {
    return new String(e.key(), StandardCharsets.UTF_8);
  }

  @Test
  void addGetRemove() {
    Dict d = new Dict();
    assertNull(d.get(b("a")));
    Entry a = d.add(b("a"), "va");
    d.add(b("b"), "vb");
    assertEquals(2, d.size());
    assertSame(a, d.get(b("a")));
    assertEquals("vb", d.get(b("b")).value);
    // Lookups take a slice of a larger buffer.
    byte[] buf = b("xxaxx");
    assertSame(a, d.get(buf, 2, 1));
    assertNull(d.get(buf, 1, 2));
    assertTrue(d.remove(a));
    assertFalse(d.remove(a));
    assertNull(d.get(b("a")));
    assertEquals(1, d.size());
    assertNotNull(d.get(b("b")));
    d.add(b(""), "empty");
    assertEquals("empty", d.get(b("")).value);
    d.clear();
    assertEquals(0, d.size());
    assertNull(d.get(b("b")));
    assertNull(d.random());
  }

  @Test
  void growsAndShrinks() {
    Dict d = new Dict();
    int initial = d.buckets();
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) entries.add(d.add(b("k" + i), i));
    assertEquals(10_000, d.size());
    assertTrue(d.buckets() >= 8192, "buckets " + d.buckets());
    assertEquals(0, Integer.bitCount(d.buckets()) - 1, "power of two");
    for (int i = 0; i < 10_000; i++) assertEquals(i, d.get(b("k" + i)).value);
    for (int i = 10; i < 10_000; i++) assertTrue(d.remove(entries.get(i)));
    assertEquals(10, d.size());
    // Shrinks while fewer than one key in eight buckets: 10 keys end in at most 64 buckets.
    assertTrue(d.buckets() <= 64 && d.buckets() >= initial, "buckets " + d.buckets());
    for (int i = 0; i < 10; i++) assertEquals(i, d.get(b("k" + i)).value);
    Set<String> all = new HashSet<>();
    d.forEach(e -> all.add(s(e)));
    assertEquals(10, all.size());
    for (int i = 0; i < 100; i++) assertTrue(all.contains(s(d.random())));
  }

  @Test
  void scanOfAnEmptyOrStableTable() {
    Dict d = new Dict();
    assertEquals(0, d.scan(0, e -> {
      throw new AssertionError("visited " + s(e));
    }));
    for (int i = 0; i < 1000; i++) d.add(b("k" + i), i);
    Set<String> seen = new HashSet<>();
    long cursor = 0;
    int steps = 0;
    do {
      cursor = d.scan(cursor, e -> seen.add(s(e)));
      steps++;
    } while (cursor != 0);
    assertEquals(1000, seen.size());
    assertEquals(d.buckets(), steps, "one bucket per step");
  }

  @Test
  void scanSurvivesGrowthBetweenCalls() {
    for (long seed = 0; seed < 20; seed++) {
      Random rnd = new Random(seed);
      Dict d = new Dict();
      Set<String> stable = new HashSet<>();
      for (int i = 0; i < 50 + rnd.nextInt(500); i++) {
        d.add(b("stable" + i), i);
        stable.add("stable" + i);
      }
      Set<String> seen = new HashSet<>();
      long cursor = 0;
      int added = 0;
      do {
        cursor = d.scan(cursor, e -> seen.add(s(e)));
        // Growth is bounded: a table that doubled forever would never be walked to the end.
        int n = added < 20_000 ? rnd.nextInt(60) : 0;
        for (int i = 0; i < n; i++) d.add(b("new" + added++), 0);
      } while (cursor != 0);
      assertTrue(seen.containsAll(stable), "seed " + seed + ": missed " + missing(stable, seen));
    }
  }

  @Test
  void scanSurvivesShrinkingBetweenCalls() {
    for (long seed = 0; seed < 20; seed++) {
      Random rnd = new Random(seed);
      Dict d = new Dict();
      Set<String> stable = new HashSet<>();
      List<Entry> doomed = new ArrayList<>();
      for (int i = 0; i < 4000; i++) {
        if (i % 40 == 0) {
          d.add(b("stable" + i), i);
          stable.add("stable" + i);
        } else {
          doomed.add(d.add(b("doomed" + i), i));
        }
      }
      int startBuckets = d.buckets();
      Collections.shuffle(doomed, rnd);
      Set<String> seen = new HashSet<>();
      long cursor = 0;
      do {
        cursor = d.scan(cursor, e -> seen.add(s(e)));
        int n = rnd.nextInt(200);
        for (int i = 0; i < n && !doomed.isEmpty(); i++) d.remove(doomed.remove(doomed.size() - 1));
      } while (cursor != 0);
      assertTrue(d.buckets() < startBuckets, "the table shrank during the scan");
      assertTrue(seen.containsAll(stable), "seed " + seed + ": missed " + missing(stable, seen));
    }
  }

  @Test
  void scanSurvivesGrowthAndShrinkMixed() {
    for (long seed = 0; seed < 20; seed++) {
      Random rnd = new Random(seed);
      Dict d = new Dict();
      Set<String> stable = new HashSet<>();
      for (int i = 0; i < 100; i++) {
        d.add(b("stable" + i), i);
        stable.add("stable" + i);
      }
      List<Entry> churn = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      long cursor = 0;
      int next = 0;
      do {
        cursor = d.scan(cursor, e -> seen.add(s(e)));
        if (rnd.nextBoolean() && next < 200_000) {
          int n = rnd.nextInt(2000);
          for (int i = 0; i < n; i++) churn.add(d.add(b("c" + next++), 0));
        } else {
          while (!churn.isEmpty()) d.remove(churn.remove(churn.size() - 1));
        }
      } while (cursor != 0);
      assertTrue(seen.containsAll(stable), "seed " + seed + ": missed " + missing(stable, seen));
    }
  }

  private static Set<String> missing(Set<String> want, Set<String> got) {
    Set<String> m = new HashSet<>(want);
    m.removeAll(got);
    return m;
  }
}
