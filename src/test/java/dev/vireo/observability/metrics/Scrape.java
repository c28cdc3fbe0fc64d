package dev.vireo.observability.metrics;

import dev.vireo.testkit.Http;
import dev.vireo.testkit.Poll;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * One GET of a node's {@code /metrics} over real HTTP, parsed from the Prometheus text format: sample lines
 * {@code name{label="value",...} number}, label values with {@code \"}, {@code \\} and {@code \n} escapes.
 */
record Scrape(int status, String contentType, String body, List<Sample> samples) {
  record Sample(String name, Map<String, String> labels, double value) {}

  /** GETs {@code http://127.0.0.1:port/metrics}, without any credentials. */
  static Scrape of(int httpPort) {
    HttpResponse<String> r = Http.get(httpPort, "/metrics");
    String type = r.headers().firstValue("content-type").orElse("");
    return new Scrape(r.statusCode(), type, r.body(), r.statusCode() == 200 ? parse(r.body()) : List.of());
  }

  /**
   * Scrapes until {@code done} holds, then once more: a scrape reads meter after meter while events may still be
   * recorded, so only a scrape that starts after the condition held sees everything recorded before it.
   */
  static Scrape until(int httpPort, String what, Predicate<Scrape> done) {
    long deadline = System.nanoTime() + Poll.WAIT.toNanos();
    Scrape last = Scrape.of(httpPort);
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "; last scrape:\n" + last.body());
      }
      Poll.sleep(100);
      last = Scrape.of(httpPort);
    }
    return Scrape.of(httpPort);
  }

  /** Every metric name with at least one sample. */
  Set<String> names() {
    Set<String> out = new TreeSet<>();
    for (Sample s : samples) out.add(s.name());
    return out;
  }

  /** The value of the one sample with this name whose labels include {@code labels}. */
  Optional<Double> value(String name, Map<String, String> labels) {
    List<Sample> found = find(name, s -> s.labels().entrySet().containsAll(labels.entrySet()));
    if (found.size() > 1) throw new AssertionError(found.size() + " samples of " + name + labels + ": " + found);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0).value());
  }

  Optional<Double> value(String name) {
    return value(name, Map.of());
  }

  List<Sample> find(String name, Predicate<Sample> filter) {
    return samples.stream().filter(s -> s.name().equals(name) && filter.test(s)).toList();
  }

  static List<Sample> parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      out.add(sample(line));
    }
    return out;
  }

  private static Sample sample(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') i++;
    String name = line.substring(0, i);
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        String label = line.substring(i, eq).trim();
        if (line.charAt(eq + 1) != '"') throw new IllegalArgumentException("bad label in " + line);
        StringBuilder v = new StringBuilder();
        int j = eq + 2;
        for (; line.charAt(j) != '"'; j++) {
          char c = line.charAt(j);
          if (c == '\\') {
            char n = line.charAt(++j);
            v.append(n == 'n' ? '\n' : n);
          } else {
            v.append(c);
          }
        }
        labels.put(label, v.toString());
        i = j + 1;
        if (line.charAt(i) == ',') i++;
      }
      i++;
    }
    String value = line.substring(i).trim().split(" ")[0];
    double v = switch (value) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(value);
    };
    return new Sample(name, labels, v);
  }
}
