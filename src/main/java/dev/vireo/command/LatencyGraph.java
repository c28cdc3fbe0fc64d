package dev.vireo.command;

import dev.vireo.server.LatencyMonitor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * LATENCY GRAPH's text, in Redis's layout: a header with the high, low and all-time high, a rule of 80 dashes, then
 * a filled four-row sparkline of the samples (oldest first), each labelled vertically with how long ago it was
 * taken (s, m, h or d), 80 samples per block.
 */
final class LatencyGraph {
  private LatencyGraph() {}

  private static final int COLUMNS = 80;
  private static final int ROWS = 4;
  private static final String FILL = "_o#";

  static String render(String event, LatencyMonitor.Event e, long nowSeconds) {
    List<Long> values = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    long min = 0;
    long max = 0;
    for (LatencyMonitor.Sample s : e.samples) {
      long v = s.millis();
      if (values.isEmpty()) {
        min = max = v;
      } else {
        max = Math.max(max, v);
        min = Math.min(min, v);
      }
      values.add(v);
      labels.add(ago(nowSeconds - s.unixSeconds()));
    }
    StringBuilder sb = new StringBuilder();
    sb.append(event).append(" - high ").append(max).append(" ms, low ").append(min).append(" ms (all time high ")
        .append(e.max).append(" ms)\n");
    sb.append("-".repeat(COLUMNS)).append('\n');
    for (int j = 0; j < values.size(); j += COLUMNS) {
      if (j != 0) sb.append('\n');
      block(sb, values, labels, min, max, j, Math.min(COLUMNS, values.size() - j));
    }
    return sb.toString();
  }

  private static String ago(long elapsed) {
    if (elapsed < 60) return elapsed + "s";
    if (elapsed < 3600) return elapsed / 60 + "m";
    if (elapsed < 3600 * 24) return elapsed / 3600 + "h";
    return elapsed / (3600 * 24) + "d";
  }

  private static void block(StringBuilder sb, List<Long> values, List<String> labels, long min, long max, int offset,
      int len) {
    double range = max - min == 0 ? 1 : max - min;
    int steps = FILL.length() * ROWS;
    char[] line = new char[len];
    for (int row = 0; ; row++) {
      boolean more = false;
      Arrays.fill(line, ' ');
      for (int j = 0; j < len; j++) {
        int step = (int) ((int) ((values.get(offset + j) - min) * (double) steps) / range);
        step = Math.max(0, Math.min(steps - 1, step));
        if (row < ROWS) {
          more = true;
          int idx = step - (ROWS - row - 1) * FILL.length();
          if (idx >= 0 && idx < FILL.length()) {
            line[j] = FILL.charAt(idx);
          } else if (idx >= FILL.length()) {
            line[j] = '|';
          }
        } else if (row == ROWS) {
          more = true; // one blank line between the graph and the labels
          break;
        } else {
          String label = labels.get(offset + j);
          int at = row - ROWS - 1;
          if (label.length() > at) {
            more = true;
            line[j] = label.charAt(at);
          }
        }
      }
      if (!more) return;
      sb.append(line).append('\n');
    }
  }
}
