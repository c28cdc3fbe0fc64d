package dev.vireo.config;

import java.util.List;
import java.util.Locale;

/**
 * One configuration directive: its name and aliases, how its arguments are validated and turned into the
 * canonical value CONFIG GET shows, its default, and whether CONFIG SET may change it at runtime.
 */
final class Directive {
  enum Type { BOOL, INT, MEMORY, ENUM, STRING, SPECIAL }

  /** A value a directive refuses; the message is Redis's wording for that refusal. */
  static final class BadValue extends Exception {
    BadValue(String message) {
      super(message, null, false, false);
    }
  }

  /** Parsing and rewriting for directives whose value is not a single scalar. */
  interface Codec {
    /**
     * The new canonical value. {@code current} is the value before this line; {@code continuing} is true
     * when an earlier line of the same load already set this directive (repeated lines accumulate).
     */
    String parse(List<String> args, String current, boolean continuing) throws BadValue;

    /** What follows the name on each line a rewritten file gets for {@code value}; one entry per line. */
    List<String> rewrite(String value);

    /** What CONFIG GET shows for the canonical {@code value}; the value itself unless Redis shows less. */
    default String shown(String value) {
      return value;
    }
  }

  final String name;
  final Type type;
  List<String> aliases = List.of();
  String defaultValue;
  long min;
  long max;
  List<String> enumValues = List.of();
  Codec codec;
  boolean mutable = true;
  boolean sensitive;
  boolean hidden;
  boolean multiArg;

  Directive(String name, Type type, String defaultValue) {
    this.name = name;
    this.type = type;
    this.defaultValue = defaultValue;
  }

  Directive alias(String... names) {
    this.aliases = List.of(names);
    return this;
  }

  Directive immutable() {
    this.mutable = false;
    return this;
  }

  Directive sensitive() {
    this.sensitive = true;
    return this;
  }

  Directive hidden() {
    this.hidden = true;
    return this;
  }

  /** The canonical value for {@code args} (already split), given the value before. */
  String parse(List<String> args, String current, boolean continuing) throws BadValue {
    if (type == Type.SPECIAL) return codec.parse(args, current, continuing);
    if (args.size() != 1) throw new BadValue("wrong number of arguments");
    String v = args.get(0);
    switch (type) {
      case BOOL -> {
        if (v.equalsIgnoreCase("yes")) return "yes";
        if (v.equalsIgnoreCase("no")) return "no";
        throw new BadValue("argument must be 'yes' or 'no'");
      }
      case INT -> {
        Long n = parseStrictLong(v);
        if (n == null) throw new BadValue("argument couldn't be parsed into an integer");
        return Long.toString(checkBounds(n));
      }
      case MEMORY -> {
        long n = MemoryUnits.parse(v);
        if (n < 0) throw new BadValue("argument must be a memory value");
        return Long.toString(checkBounds(n));
      }
      case ENUM -> {
        String lower = v.toLowerCase(Locale.ROOT);
        if (enumValues.contains(lower)) return lower;
        throw new BadValue("argument(s) must be one of the following: " + String.join(", ", enumValues));
      }
      default -> {
        return v;
      }
    }
  }

  /** What follows the name on each rewritten line for {@code value}. */
  List<String> rewriteArgs(String value) {
    return switch (type) {
      case SPECIAL -> codec.rewrite(value);
      case MEMORY -> List.of(MemoryUnits.format(Long.parseLong(value)));
      case STRING -> List.of(ConfigTokenizer.quote(value));
      default -> List.of(value);
    };
  }

  private long checkBounds(long n) throws BadValue {
    if (n < min || n > max) throw new BadValue("argument must be between " + min + " and " + max + " inclusive");
    return n;
  }

  /** Integers the strict way: optional minus, no plus sign, no leading zeros, no spaces, no overflow. */
  static Long parseStrictLong(String s) {
    int n = s.length();
    if (n == 0 || n > 20) return null;
    int i = s.charAt(0) == '-' ? 1 : 0;
    if (i == n) return null;
    if (s.charAt(i) == '0' && (n > 1)) return null;
    for (int j = i; j < n; j++) {
      char c = s.charAt(j);
      if (c < '0' || c > '9') return null;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
