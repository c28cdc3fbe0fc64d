package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.store.ListValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The circular-array list against a plain ArrayList model, across growth and wrap-around. */
class ListValueTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> contents(ListValue l) {
    List<String> r = new ArrayList<>();
    for (byte[] x : l.toArray()) r.add(new String(x, StandardCharsets.UTF_8));
    return r;
  }

  @Test
  void randomOperationsMatchAModel() {
    long seed = System.nanoTime();
    Random rnd = new Random(seed);
    ListValue l = new ListValue();
    List<String> m = new ArrayList<>();
    for (int step = 0; step < 20000; step++) {
      String v = Integer.toString(rnd.nextInt(6));
      int op = rnd.nextInt(10);
      if (op <= 1) {
        l.pushHead(b(v));
        m.add(0, v);
      } else if (op <= 3) {
        l.pushTail(b(v));
        m.add(v);
      } else if (op == 4 && !m.isEmpty()) {
        assertEquals(m.remove(0), new String(l.popHead(), StandardCharsets.UTF_8), "seed " + seed);
      } else if (op == 5 && !m.isEmpty()) {
        assertEquals(m.remove(m.size() - 1), new String(l.popTail(), StandardCharsets.UTF_8), "seed " + seed);
      } else if (op == 6) {
        int i = rnd.nextInt(m.size() + 1);
        l.insert(i, b(v));
        m.add(i, v);
      } else if (op == 7 && !m.isEmpty()) {
        int i = rnd.nextInt(m.size());
        l.set(i, b(v));
        m.set(i, v);
      } else if (op == 8 && rnd.nextInt(20) == 0) {
        long limit = rnd.nextInt(3);
        boolean tail = rnd.nextBoolean();
        byte[] x = b(v);
        int removed = l.removeEqual(x, 0, x.length, limit, tail);
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
        assertEquals(expected, removed, "seed " + seed);
      } else if (op == 9 && rnd.nextInt(50) == 0 && !m.isEmpty()) {
        int from = rnd.nextInt(m.size());
        int to = from + rnd.nextInt(m.size() - from);
        l.keepRange(from, to);
        m = new ArrayList<>(m.subList(from, to + 1));
      }
      assertEquals(m.size(), l.size(), "seed " + seed + " step " + step);
      if (step % 97 == 0) assertEquals(m, contents(l), "seed " + seed + " step " + step);
    }
    assertEquals(m, contents(l), "seed " + seed);
    ListValue copy = l.copy();
    assertEquals(m, contents(copy));
    copy.pushTail(b("extra"));
    assertEquals(m, contents(l));
  }
}
