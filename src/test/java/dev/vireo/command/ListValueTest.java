package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.vireo.store.ListValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packed list against a plain ArrayList model: pushes and pops at both ends, inserts, sets, removals and trims,
 * across node limits (list-max-listpack-size in bytes and in entries), node splits and merges, and elements whose
 * lengths sit on the varint boundaries or exceed a node.
 */
class ListValueTest {
  private static final int[] LENGTHS = {0, 1, 5, 127, 128, 300, 16383, 16384, 9000};

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> contents(ListValue l) {
    List<String> r = new ArrayList<>();
    for (byte[] x : l.toArray()) r.add(new String(x, StandardCharsets.UTF_8));
    return r;
  }

  /** Mostly short values from a small alphabet (so removals match), sometimes a long one. */
  private static String value(Random rnd, boolean longOnes) {
    if (longOnes && rnd.nextInt(40) == 0) {
      int len = LENGTHS[rnd.nextInt(LENGTHS.length)];
      char[] c = new char[len];
      Arrays.fill(c, (char) ('a' + rnd.nextInt(3)));
      return new String(c);
    }
    return Integer.toString(rnd.nextInt(6));
  }

  private static void check(ListValue l, List<String> m, String ctx) {
    assertEquals(m, contents(l), ctx);
    assertEquals(m.size(), l.size(), ctx);
    if (m.isEmpty()) return;
    // walk backwards from the tail with a cursor, and read every element through the view
    ListValue.Cursor c = l.cursor(m.size() - 1);
    for (int i = m.size() - 1; i >= 0; i--) {
      assertEquals(m.get(i), new String(c.bytes(), StandardCharsets.UTF_8), ctx + " at " + i);
      assertEquals(i > 0, c.prev(), ctx);
    }
    List<byte[]> view = l.elements();
    for (int i = m.size() - 1; i >= 0; i -= 3) assertEquals(m.get(i), new String(view.get(i), StandardCharsets.UTF_8));
    // the memory model's counter equals that of the same list built afresh
    ListValue fresh = new ListValue();
    for (String s : m) fresh.pushTail(b(s));
    assertEquals(fresh.memory(), l.memory(), ctx);
  }

  @ParameterizedTest
  @ValueSource(ints = {-2, -1, 1, 2, 5, 0, -5, Integer.MIN_VALUE, Integer.MAX_VALUE})
  void randomOperationsMatchAModel(int fill) {
    long seed = System.nanoTime();
    Random rnd = new Random(seed);
    ListValue l = new ListValue();
    List<String> m = new ArrayList<>();
    boolean longOnes = fill != -2;
    for (int step = 0; step < 20000; step++) {
      String v = value(rnd, longOnes);
      byte[] vb = b(v);
      int op = rnd.nextInt(12);
      String ctx = "fill " + fill + " seed " + seed + " step " + step;
      if (op <= 1) {
        l.push(vb, 0, vb.length, true, fill, rnd.nextInt(3) == 0 ? rnd.nextInt(20000) : 0);
        m.add(0, v);
      } else if (op <= 3) {
        l.push(vb, 0, vb.length, false, fill, rnd.nextInt(3) == 0 ? rnd.nextInt(20000) : 0);
        m.add(v);
      } else if (op == 4 && !m.isEmpty()) {
        assertEquals(m.remove(0), new String(l.popHead(), StandardCharsets.UTF_8), ctx);
      } else if (op == 5 && !m.isEmpty()) {
        if (rnd.nextBoolean()) {
          assertEquals(m.remove(m.size() - 1), new String(l.popTail(), StandardCharsets.UTF_8), ctx);
        } else {
          boolean head = rnd.nextBoolean();
          ListValue.Cursor c = l.cursor(head ? 0 : m.size() - 1);
          assertEquals(m.remove(head ? 0 : m.size() - 1), new String(c.buf(), c.off(), c.len(),
              StandardCharsets.UTF_8), ctx);
          l.discard(head);
        }
      } else if (op == 6) {
        int i = rnd.nextInt(m.size() + 1);
        l.insert(i, vb, fill);
        m.add(i, v);
      } else if (op == 7 && !m.isEmpty()) {
        int i = rnd.nextInt(m.size());
        l.set(i, vb, fill);
        m.set(i, v);
      } else if (op == 8 && rnd.nextInt(20) == 0) {
        long limit = rnd.nextInt(3);
        boolean tail = rnd.nextBoolean();
        int removed = l.removeEqual(vb, 0, vb.length, limit, tail, fill);
        int expected = 0;
        if (!tail) {
          for (int i = 0; i < m.size() && (limit == 0 || expected < limit); ) {
            if (m.get(i).equals(v)) {
              m.remove(i);
              expected++;
            } else {
              i++;
            }
          }
        } else {
          for (int i = m.size() - 1; i >= 0 && (limit == 0 || expected < limit); i--) {
            if (m.get(i).equals(v)) {
              m.remove(i);
              expected++;
            }
          }
        }
        assertEquals(expected, removed, ctx);
      } else if (op == 9 && rnd.nextInt(50) == 0 && !m.isEmpty()) {
        int from = rnd.nextInt(m.size());
        int to = from + rnd.nextInt(m.size() - from);
        l.keepRange(from, to);
        m = new ArrayList<>(m.subList(from, to + 1));
      } else if (op == 10 && !m.isEmpty()) {
        int i = rnd.nextInt(m.size());
        assertEquals(m.get(i), new String(l.get(i), StandardCharsets.UTF_8), ctx);
        assertEquals(m.indexOf(v), l.indexOf(vb, 0, vb.length), ctx);
      } else if (op == 11 && rnd.nextInt(500) == 0) {
        while (!m.isEmpty()) {
          boolean head = rnd.nextBoolean();
          assertEquals(m.remove(head ? 0 : m.size() - 1), new String(l.pop(head), StandardCharsets.UTF_8), ctx);
        }
        assertEquals(0, l.size());
      }
      assertEquals(m.size(), l.size(), ctx);
      if (step % 997 == 0) check(l, m, ctx);
    }
    check(l, m, "fill " + fill + " seed " + seed);
    ListValue copy = l.copy();
    check(copy, m, "copy, seed " + seed);
    copy.pushTail(b("extra"));
    if (!m.isEmpty()) copy.set(0, b("changed"));
    check(l, m, "original after the copy changed, seed " + seed);
  }

  @ParameterizedTest
  @ValueSource(ints = {-2, 3})
  void drainsToEmptyAndRefills(int fill) {
    ListValue l = new ListValue();
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 5000; i++) {
        byte[] v = b("e" + i);
        l.push(v, 0, v.length, round % 2 == 0, fill);
      }
      for (int i = 0; i < 5000; i++) l.pop(i % 2 == 0);
      assertEquals(0, l.size());
      assertArrayEquals(new byte[0][], l.toArray());
      assertEquals(-1, l.indexOf(b("e1"), 0, 2));
    }
    byte[] big = new byte[100_000];
    l.push(big, 0, big.length, false, fill);
    l.push(b("x"), 0, 1, false, fill);
    l.push(b("y"), 0, 1, true, fill);
    assertEquals(3, l.size());
    assertArrayEquals(big, l.get(1));
    assertEquals(1, l.removeEqual(big, 0, big.length, 0, false, fill));
    assertEquals(List.of("y", "x"), contents(l));
    l.clear();
    assertFalse(l.size() != 0);
  }
}
