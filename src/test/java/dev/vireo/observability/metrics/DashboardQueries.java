package dev.vireo.observability.metrics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The PromQL of the Grafana dashboards under {@code dashboards/json}: every {@code expr} of a panel target and
 * every templating query, and the metric names they use.
 */
final class DashboardQueries {
  static final Path DIR = Path.of("dashboards", "json");

  private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
      "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  private DashboardQueries() {}

  static List<Path> files() {
    try (Stream<Path> s = Files.list(DIR)) {
      return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonObject read(Path file) {
    try {
      return new JsonObject(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every query of every dashboard. */
  static List<String> queries() {
    List<String> out = new ArrayList<>();
    for (Path f : files()) collect(read(f), out);
    return out;
  }

  private static void collect(Object node, List<String> out) {
    if (node instanceof JsonObject o) {
      for (String key : o.fieldNames()) {
        Object v = o.getValue(key);
        if (key.equals("expr") && v instanceof String s) out.add(s);
        else if (key.equals("query") && v instanceof String s && o.containsKey("datasource")) out.add(s);
        else if (key.equals("query") && v instanceof JsonObject q && q.getValue("query") instanceof String s) {
          out.add(s);
        } else {
          collect(v, out);
        }
      }
    } else if (node instanceof JsonArray a) {
      for (Object v : a) collect(v, out);
    }
  }

  /** Metric names used by all the dashboards. */
  static Set<String> metricNames() {
    Set<String> out = new TreeSet<>();
    for (String q : queries()) out.addAll(metricNames(q));
    return out;
  }

  /**
   * The metric names of one PromQL expression: identifiers that are not functions (followed by {@code (}), not
   * keywords, not label names (inside {@code {}} or a {@code by}/{@code without}/{@code on} list) and not inside
   * strings, ranges or Grafana variables.
   */
  static Set<String> metricNames(String promql) {
    String s = promql
        // Grafana's label_values(metric, label) names a metric first, then a label; label_values(label) none
        .replaceAll("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*})?\\s*,[^)]*\\)", " $1 ")
        .replaceAll("label_values\\([^,()]*\\)", " ")
        .replaceAll("\"(\\\\.|[^\"\\\\])*\"", " ")          // strings
        .replaceAll("\\{[^}]*}", " ")                       // label matchers
        .replaceAll("\\[[^]]*]", " ")                       // ranges
        .replaceAll("\\$\\{?[a-zA-Z_][a-zA-Z0-9_]*}?", " ") // Grafana variables
        .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Set<String> out = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      String id = m.group();
      if (m.start() > 0 && (Character.isDigit(s.charAt(m.start() - 1)) || s.charAt(m.start() - 1) == '.')) {
        continue; // the exponent or unit of a number (1e3, 5m)
      }
      int next = m.end();
      while (next < s.length() && Character.isWhitespace(s.charAt(next))) next++;
      if (next < s.length() && s.charAt(next) == '(') continue; // a function
      if (KEYWORDS.contains(id.toLowerCase())) continue;
      out.add(id);
    }
    return out;
  }
}
