package dev.vireo.server;

import dev.vireo.resp.Args;
import dev.vireo.server.KeySpec.KeyRef;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What describes a command beyond what its family declares in code (name, arity, flags, first/last/step): its
 * documentation (COMMAND DOCS: summary, since, group, complexity, doc flags, history, arguments...), its tips and its
 * key specs (COMMAND INFO). Read once at start from {@code commands.json} (Redis 7.0's descriptions, regenerated with
 * {@code src/dev/commands_json.py}) with {@code commands-vireo.json} (Vireo's own differences) merged over it, on
 * first use (not at start: it takes a few hundred milliseconds cold), and joined with the code's declarations by the
 * command's own name ({@link CommandSpec#meta()}).
 *
 * <p>Redis derives a command's legacy first/last/step and its {@code movablekeys} flag from its key specs; so does
 * this class ({@link #firstKey}, {@link #movableKeys}), and a unit test holds the code's first/last/step to them.
 */
public final class CommandMeta {
  static final String RESOURCE = "/dev/vireo/commands.json";
  static final String OVERLAY = "/dev/vireo/commands-vireo.json";

  /** summary, since, group, complexity, doc_flags, deprecated_since, replaced_by, history, arguments: in order. */
  public final JsonObject docs;
  public final List<String> tips;
  /** The ACL categories the command's flags do not imply (see {@link CommandSpec#aclCategories}). */
  public final List<String> aclCategories;
  public final List<KeySpec> keySpecs;
  /** The legacy key range Redis derives from the key specs (0 0 0: none). */
  public final int firstKey;
  public final int lastKey;
  public final int step;
  /** Some keys are not where first/last/step say: COMMAND INFO's movablekeys flag. */
  public final boolean movableKeys;

  CommandMeta(JsonObject docs, List<String> tips, List<String> aclCategories, List<KeySpec> keySpecs) {
    this.docs = docs;
    this.aclCategories = List.copyOf(aclCategories);
    this.tips = List.copyOf(tips);
    this.keySpecs = List.copyOf(keySpecs);
    // Redis's populateCommandLegacyRangeSpec: the consecutive index/range specs of step 1 make the legacy range;
    // any other spec (or an incomplete one) makes the keys movable
    int first = Integer.MAX_VALUE;
    long last = 0; // compared as unsigned, as Redis does, so that a negative (from the end) lastkey wins
    long prevLast = 0;
    boolean movable = false;
    int rangeStep = 0;
    if (keySpecs.size() == 1 && keySpecs.get(0).begin == KeySpec.Begin.INDEX
        && keySpecs.get(0).find == KeySpec.Find.RANGE) {
      KeySpec k = keySpecs.get(0);
      first = k.index;
      last = k.a >= 0 ? k.a + k.index : k.a;
      rangeStep = k.b;
      movable = k.has("incomplete");
    } else {
      for (KeySpec k : keySpecs) {
        if (k.begin != KeySpec.Begin.INDEX || k.find != KeySpec.Find.RANGE) {
          movable = true;
          continue;
        }
        if (k.b != 1 || (prevLast != 0 && prevLast != k.index - 1)) {
          movable = true;
          continue;
        }
        if (k.has("incomplete")) movable = true;
        first = Math.min(first, k.index);
        long abs = k.a >= 0 ? k.a + k.index : k.a;
        if (Long.compareUnsigned(abs, last) > 0) last = abs;
        prevLast = last;
        rangeStep = 1;
      }
      if (first == Integer.MAX_VALUE && !keySpecs.isEmpty()) movable = true;
    }
    if (first == Integer.MAX_VALUE) {
      firstKey = lastKey = step = 0;
    } else {
      firstKey = first;
      lastKey = (int) last;
      step = rangeStep;
    }
    movableKeys = movable;
  }

  /** Every description, read when first asked for (class initialisation: once, thread-safe). */
  private static final class All {
    static final Map<String, CommandMeta> BY_NAME = load();
  }

  /** The description of the command or subcommand called {@code fullName} ("get", "config|get"), or null. */
  public static CommandMeta of(String fullName) {
    return All.BY_NAME.get(fullName);
  }

  /** Reads the descriptions of every command, by full name. */
  static Map<String, CommandMeta> load() {
    JsonObject all = read(RESOURCE);
    JsonObject overlay = CommandMeta.class.getResource(OVERLAY) == null ? new JsonObject() : read(OVERLAY);
    merge(all, overlay);
    Map<String, CommandMeta> r = new HashMap<>();
    for (String name : all.fieldNames()) add(r, name, all.getJsonObject(name));
    return r;
  }

  private static JsonObject read(String resource) {
    try (InputStream in = CommandMeta.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException(resource + " missing");
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Merges {@code over} into {@code base} field by field: objects merge, other values replace, null removes. */
  static void merge(JsonObject base, JsonObject over) {
    for (String k : over.fieldNames()) {
      Object v = over.getValue(k);
      Object old = base.getValue(k);
      if (v == null) base.remove(k);
      else if (v instanceof JsonObject o && old instanceof JsonObject b) merge(b, o);
      else base.put(k, v);
    }
  }

  private static final Set<String> NOT_DOCS = Set.of("tips", "acl_categories", "key_specs", "subcommands");

  private static void add(Map<String, CommandMeta> r, String name, JsonObject e) {
    JsonObject docs = new JsonObject();
    for (String k : e.fieldNames()) {
      if (!NOT_DOCS.contains(k)) docs.put(k, e.getValue(k));
    }
    List<String> tips = strings(e.getJsonArray("tips"));
    List<KeySpec> specs = new ArrayList<>();
    JsonArray ks = e.getJsonArray("key_specs");
    if (ks != null) {
      for (int i = 0; i < ks.size(); i++) specs.add(keySpec(ks.getJsonObject(i)));
    }
    r.put(name, new CommandMeta(docs, tips, strings(e.getJsonArray("acl_categories")), specs));
    JsonObject subs = e.getJsonObject("subcommands");
    if (subs != null) {
      for (String sub : subs.fieldNames()) add(r, sub, subs.getJsonObject(sub));
    }
  }

  private static KeySpec keySpec(JsonObject o) {
    KeySpec.Begin begin = KeySpec.Begin.UNKNOWN;
    int index = 0;
    String keyword = null;
    if (o.containsKey("index")) {
      begin = KeySpec.Begin.INDEX;
      index = o.getInteger("index");
    } else if (o.containsKey("keyword")) {
      begin = KeySpec.Begin.KEYWORD;
      keyword = o.getJsonArray("keyword").getString(0);
      index = o.getJsonArray("keyword").getInteger(1);
    }
    KeySpec.Find find = KeySpec.Find.UNKNOWN;
    JsonArray p = null;
    if (o.containsKey("range")) {
      find = KeySpec.Find.RANGE;
      p = o.getJsonArray("range");
    } else if (o.containsKey("keynum")) {
      find = KeySpec.Find.KEYNUM;
      p = o.getJsonArray("keynum");
    }
    return new KeySpec(o.getString("notes"), strings(o.getJsonArray("flags")), begin, index, keyword, find,
        p == null ? 0 : p.getInteger(0), p == null ? 0 : p.getInteger(1), p == null ? 0 : p.getInteger(2));
  }

  private static List<String> strings(JsonArray a) {
    if (a == null) return List.of();
    List<String> r = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) r.add(a.getString(i));
    return r;
  }

  // ---- key extraction (COMMAND GETKEYS / GETKEYSANDFLAGS) ----

  private static final List<String> RO_ACCESS = List.of("RO", "access");
  private static final List<String> OW_UPDATE = List.of("OW", "update");
  private static final List<String> RW_ACCESS_UPDATE = List.of("RW", "access", "update");
  private static final List<String> RW_ACCESS_DELETE = List.of("RW", "access", "delete");

  /** Whether the command may have keys at all (Redis's doesCommandHaveKeys). */
  public static boolean hasKeys(CommandSpec s) {
    if (procOf(s.fullName) != null) return true;
    CommandMeta m = s.meta();
    if (m == null) return s.firstKey > 0;
    for (KeySpec k : m.keySpecs) if (!k.has("not_key")) return true;
    return false;
  }

  /**
   * The key arguments of the command at {@code from} in {@code a} with their flags, as Redis finds them: from the
   * key specs when they are complete and their flags fixed, otherwise by reading the arguments as the command does.
   */
  public static List<KeyRef> keys(CommandSpec s, Args a, int from) {
    List<KeyRef> out = new ArrayList<>();
    CommandMeta m = s.meta();
    if (m == null) {
      for (int i : s.keyIndexes(a.count() - from)) out.add(new KeyRef(i, List.of()));
      return out;
    }
    boolean anyKey = false;
    boolean variable = false;
    for (KeySpec k : m.keySpecs) {
      anyKey |= !k.has("not_key");
      variable |= k.has("variable_flags");
    }
    if (anyKey && !variable) {
      boolean ok = true;
      for (KeySpec k : m.keySpecs) {
        if (k.has("not_key")) continue;
        if (!k.find(a, from, s.arity, out)) {
          ok = false;
          break;
        }
      }
      if (ok) return out;
      out.clear();
    }
    Proc p = procOf(s.fullName);
    if (p != null) p.keys(a, from, a.count() - from, out);
    return out;
  }

  @FunctionalInterface
  private interface Proc {
    void keys(Args a, int from, int argc, List<KeyRef> out);
  }

  /** The commands whose keys Redis also finds by reading their arguments (their getkeys_proc). */
  private static Proc procOf(String name) {
    return switch (name) {
      case "zunionstore", "zinterstore", "zdiffstore" -> (a, f, n, out) -> numkeys(a, f, n, 1, 2, 3, out);
      case "zunion", "zinter", "zdiff", "zintercard", "sintercard", "lmpop", "zmpop" ->
          (a, f, n, out) -> numkeys(a, f, n, 0, 1, 2, out);
      case "eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro", "blmpop", "bzmpop" ->
          (a, f, n, out) -> numkeys(a, f, n, 0, 2, 3, out);
      case "sort_ro" -> (a, f, n, out) -> out.add(new KeyRef(1, RO_ACCESS));
      case "sort" -> CommandMeta::sortKeys;
      case "migrate" -> CommandMeta::migrateKeys;
      case "georadius", "georadiusbymember" -> CommandMeta::georadiusKeys;
      case "xread", "xreadgroup" -> CommandMeta::xreadKeys;
      case "set" -> CommandMeta::setKeys;
      case "bitfield" -> CommandMeta::bitfieldKeys;
      default -> null;
    };
  }

  /** [destination] numkeys key...: nothing when numkeys is not a count of the keys there are. */
  private static void numkeys(Args a, int from, int argc, int store, int count, int first, List<KeyRef> out) {
    long num = atoi(a.str(from + count));
    if (num < 1 || num > argc - first) return;
    for (int i = 0; i < num; i++) out.add(new KeyRef(first + i, List.of()));
    if (store > 0) out.add(new KeyRef(store, List.of()));
  }

  /** C's atoi: the leading digits, 0 when none. */
  private static long atoi(String s) {
    int i = 0;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    boolean neg = false;
    if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) neg = s.charAt(i++) == '-';
    long v = 0;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9' && v < Integer.MAX_VALUE) {
      v = v * 10 + (s.charAt(i++) - '0');
    }
    return neg ? -v : v;
  }

  /** SORT key [BY p] [LIMIT o c] [GET p...] ... [STORE dest]: the key and the last STORE's destination. */
  private static void sortKeys(Args a, int from, int argc, List<KeyRef> out) {
    out.add(new KeyRef(1, RO_ACCESS));
    int store = -1;
    for (int i = 2; i < argc; i++) {
      if (a.is(from + i, "limit")) i += 2;
      else if (a.is(from + i, "get") || a.is(from + i, "by")) i += 1;
      else if (a.is(from + i, "store") && i + 1 < argc) store = i + 1;
    }
    if (store > 0) out.add(new KeyRef(store, OW_UPDATE));
  }

  /** MIGRATE host port key|"" db timeout [COPY] [REPLACE] [AUTH pw] [AUTH2 user pw] [KEYS key...]. */
  private static void migrateKeys(Args a, int from, int argc, List<KeyRef> out) {
    int first = 3;
    int num = 1;
    if (argc > 6) {
      for (int i = 6; i < argc; i++) {
        if (a.is(from + i, "keys")) {
          if (a.len(from + 3) > 0) {
            num = 0;
          } else {
            first = i + 1;
            num = argc - first;
          }
          break;
        }
        if (a.is(from + i, "auth")) i += 1;
        else if (a.is(from + i, "auth2")) i += 2;
      }
    }
    for (int i = 0; i < num; i++) out.add(new KeyRef(first + i, RW_ACCESS_DELETE));
  }

  private static void georadiusKeys(Args a, int from, int argc, List<KeyRef> out) {
    int stored = -1;
    for (int i = 5; i < argc; i++) {
      if ((a.is(from + i, "store") || a.is(from + i, "storedist")) && i + 1 < argc) {
        stored = i + 1;
        i++;
      }
    }
    out.add(new KeyRef(1, List.of()));
    if (stored > 0) out.add(new KeyRef(stored, List.of()));
  }

  private static void xreadKeys(Args a, int from, int argc, List<KeyRef> out) {
    int streams = -1;
    for (int i = 1; i < argc; i++) {
      if (a.is(from + i, "block") || a.is(from + i, "count")) {
        i++;
      } else if (a.is(from + i, "group")) {
        i += 2;
      } else if (a.is(from + i, "noack")) {
        continue;
      } else {
        if (a.is(from + i, "streams")) streams = i;
        break;
      }
    }
    int num = streams < 0 ? 0 : argc - streams - 1;
    if (streams < 0 || num == 0 || num % 2 != 0) return;
    for (int i = streams + 1; i < argc - num / 2; i++) out.add(new KeyRef(i, List.of()));
  }

  /** SET's key is read too when a GET option is given. */
  private static void setKeys(Args a, int from, int argc, List<KeyRef> out) {
    for (int i = 3; i < argc; i++) {
      if (a.is(from + i, "get")) {
        out.add(new KeyRef(1, RW_ACCESS_UPDATE));
        return;
      }
    }
    out.add(new KeyRef(1, OW_UPDATE));
  }

  /** BITFIELD is read-only while its operations are GETs (and OVERFLOWs). */
  private static void bitfieldKeys(Args a, int from, int argc, List<KeyRef> out) {
    boolean readonly = true;
    for (int i = 2; i < argc; i++) {
      int rem = argc - i - 1;
      if (a.is(from + i, "get") && rem >= 2) {
        i += 2;
      } else if ((a.is(from + i, "set") || a.is(from + i, "incrby")) && rem >= 3) {
        readonly = false;
        break;
      } else if (a.is(from + i, "overflow") && rem >= 1) {
        i += 1;
      } else {
        readonly = false;
        break;
      }
    }
    out.add(new KeyRef(1, readonly ? RO_ACCESS : RW_ACCESS_UPDATE));
  }
}
