package dev.vireo.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of an INFO reply ({@code name:value} lines under {@code # Section} headers), and the
 * {@code a=1,b=2} values some of them hold ({@code slaveN}, {@code dbN}).
 */
final class InfoText {
  private final Map<String, String> fields = new LinkedHashMap<>();

  InfoText(String text) {
    for (String line : text.split("\r?\n")) {
      if (line.isEmpty() || line.startsWith("#")) continue;
      int colon = line.indexOf(':');
      if (colon > 0) fields.put(line.substring(0, colon), line.substring(colon + 1));
    }
  }

  String get(String name) {
    return fields.get(name);
  }

  String get(String name, String otherwise) {
    return fields.getOrDefault(name, otherwise);
  }

  /** A numeric field, or {@code otherwise} when it is absent or not a number. */
  long getLong(String name, long otherwise) {
    return parseLong(fields.get(name), otherwise);
  }

  double getDouble(String name, double otherwise) {
    String v = fields.get(name);
    if (v == null) return otherwise;
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }

  /** The {@code slave0}, {@code slave1}, ... entries in order, each split into its {@code key=value} pairs. */
  List<Map<String, String>> replicas() {
    List<Map<String, String>> out = new ArrayList<>();
    for (int i = 0; fields.containsKey("slave" + i); i++) out.add(pairs(fields.get("slave" + i)));
    return out;
  }

  /** The keyspace lines, database number to their pairs ({@code keys}, {@code expires}, {@code avg_ttl}). */
  Map<Integer, Map<String, String>> keyspace() {
    Map<Integer, Map<String, String>> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : fields.entrySet()) {
      String k = e.getKey();
      if (k.length() > 2 && k.startsWith("db") && k.chars().skip(2).allMatch(Character::isDigit)
          && e.getValue().contains("keys=")) {
        out.put(Integer.parseInt(k.substring(2)), pairs(e.getValue()));
      }
    }
    return out;
  }

  static Map<String, String> pairs(String value) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String part : value.split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0) out.put(part.substring(0, eq), part.substring(eq + 1));
    }
    return out;
  }

  static long parseLong(String v, long otherwise) {
    if (v == null) return otherwise;
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }
}
