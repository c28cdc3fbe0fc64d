package dev.vireo.util;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text of an {@code INFO} reply as its fields, in order: {@code # Section} headers, then {@code key:value}
 * lines (CRLF or LF). Values that list {@code k=v} pairs ({@code slave0:ip=..,port=..}, {@code db0:keys=..},
 * {@code cmdstat_get:calls=..}) are split by {@link #pairs}. The status page and the metrics both read the node
 * through it, as redis_exporter reads a Redis.
 */
public final class InfoText {
  /** One {@code key:value} line and the section it sits in (the header without {@code "# "}). */
  public record Field(String section, String key, String value) {}

  private final List<Field> fields;
  private final Map<String, String> byKey;

  private InfoText(List<Field> fields) {
    this.fields = Collections.unmodifiableList(fields);
    Map<String, String> m = new HashMap<>();
    for (Field f : fields) m.putIfAbsent(f.key(), f.value());
    this.byKey = m;
  }

  public static InfoText parse(String text) {
    List<Field> out = new ArrayList<>();
    String section = "";
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty()) continue;
      if (line.startsWith("#")) {
        section = line.substring(1).strip();
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) continue;
      out.add(new Field(section, line.substring(0, colon), line.substring(colon + 1)));
    }
    return new InfoText(out);
  }

  public List<Field> fields() {
    return fields;
  }

  /** The first value of {@code key}, or null. */
  public String get(String key) {
    return byKey.get(key);
  }

  /** A numeric field, or {@code otherwise} when it is absent or not a whole number. */
  public long getLong(String key, long otherwise) {
    return parseLong(byKey.get(key), otherwise);
  }

  /** The {@code slave0}, {@code slave1}, ... entries in order, each split into its {@code key=value} pairs. */
  public List<Map<String, String>> replicas() {
    List<Map<String, String>> out = new ArrayList<>();
    for (int i = 0; byKey.containsKey("slave" + i); i++) out.add(pairsOrEmpty(byKey.get("slave" + i)));
    return out;
  }

  /** The keyspace lines, database number to their pairs ({@code keys}, {@code expires}, {@code avg_ttl}). */
  public Map<Integer, Map<String, String>> keyspace() {
    Map<Integer, Map<String, String>> out = new LinkedHashMap<>();
    for (Field f : fields) {
      String k = f.key();
      if (k.length() > 2 && k.startsWith("db") && k.chars().skip(2).allMatch(Character::isDigit)
          && f.value().contains("keys=")) {
        out.put(Integer.parseInt(k.substring(2)), pairsOrEmpty(f.value()));
      }
    }
    return out;
  }

  /**
   * The {@code k=v} pairs of a value such as {@code ip=127.0.0.1,port=6380,state=online,offset=42,lag=0}, in
   * order; null when some part has no {@code =} (then the value is not such a list).
   */
  public static Map<String, String> pairs(String value) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String part : value.split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) return null;
      out.put(part.substring(0, eq), part.substring(eq + 1));
    }
    return out;
  }

  private static Map<String, String> pairsOrEmpty(String value) {
    Map<String, String> p = pairs(value);
    return p == null ? Map.of() : p;
  }

  /** A whole number, or {@code otherwise} when {@code v} is null or not one. */
  public static long parseLong(String v, long otherwise) {
    if (v == null) return otherwise;
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }

  /**
   * A field's number: plain numbers, and the words INFO uses for a state ({@code ok}/{@code up} = 1,
   * {@code err}/{@code down}/{@code fail} = 0). Null when it is neither.
   */
  public static Double number(String value) {
    if (value == null) return null;
    switch (value) {
      case "ok", "up" -> {
        return 1.0;
      }
      case "err", "down", "fail" -> {
        return 0.0;
      }
      default -> { }
    }
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
