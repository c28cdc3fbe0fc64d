package dev.vireo.observability.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text of an {@code INFO} reply as its fields, in order: {@code # Section} headers, then {@code key:value}
 * lines. Values with a list of {@code k=v} pairs ({@code slave0:ip=..,port=..}, {@code db0:keys=..},
 * {@code cmdstat_get:calls=..}) are split by {@link #pairs}. Line ends may be CRLF or LF.
 */
final class InfoText {
  /** One {@code key:value} line and the section it sits in (the header without {@code "# "}). */
  record Field(String section, String key, String value) {}

  private final List<Field> fields;
  private final Map<String, String> byKey;

  private InfoText(List<Field> fields) {
    this.fields = Collections.unmodifiableList(fields);
    Map<String, String> m = new HashMap<>();
    for (Field f : fields) m.putIfAbsent(f.key(), f.value());
    this.byKey = m;
  }

  static InfoText parse(String text) {
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

  List<Field> fields() {
    return fields;
  }

  /** The first value of {@code key}, or null. */
  String get(String key) {
    return byKey.get(key);
  }

  /**
   * The {@code k=v} pairs of a value such as {@code ip=127.0.0.1,port=6380,state=online,offset=42,lag=0}, in
   * order; null when some part has no {@code =} (then the value is not such a list).
   */
  static Map<String, String> pairs(String value) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String part : value.split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) return null;
      out.put(part.substring(0, eq), part.substring(eq + 1));
    }
    return out;
  }

  /**
   * A field's number: plain numbers, and the words INFO uses for a state ({@code ok}/{@code up} = 1,
   * {@code err}/{@code down}/{@code fail} = 0). Null when it is neither.
   */
  static Double number(String value) {
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
