package dev.vireo.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The rows of a parameterized test: every row under {@code -Dvireo.matrix=full}, and in a normal build (CI) only the
 * rows marked as such, so that `mvn verify` stays within its time budget while the reference runs (a Redis master
 * with Redis replicas, the rarer settings) remain one property away.
 */
public final class Matrix {
  private Matrix() {}

  public static boolean full() {
    return "full".equals(System.getProperty("vireo.matrix"));
  }

  /** Rows as comma-separated values; a row starting with {@code *} also runs in CI. */
  public static Stream<Arguments> rows(String... rows) {
    List<Arguments> out = new ArrayList<>();
    for (String row : rows) {
      boolean ci = row.startsWith("*");
      if (!ci && !full()) continue;
      String[] cells = (ci ? row.substring(1) : row).split(",");
      Object[] args = new Object[cells.length];
      for (int i = 0; i < cells.length; i++) args[i] = cells[i].trim();
      out.add(Arguments.of(args));
    }
    return out.stream();
  }
}
