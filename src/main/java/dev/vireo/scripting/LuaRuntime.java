package dev.vireo.scripting;

import dev.vireo.scripting.lib.ScriptLibraries;
import dev.vireo.util.Version;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.LuaException;
import party.iroiro.luajava.lua51.Lua51;

/**
 * One Lua 5.1 state with the environment Redis 7.0 gives scripts: the libraries base, table, string, math (and
 * cjson, cmsgpack, bit, struct from {@link #openLibraries}), the {@code redis} table, the error handler, the kill
 * hook and the sandbox of {@link Bootstrap}. EVAL uses one; FCALL's functions get a second. Created, used and
 * closed on the script thread only.
 */
final class LuaRuntime implements AutoCloseable {
  final Lua L;
  private final int runnerRef;
  private final int callRef;
  /** The functions state's loader and its library table operations (0 in EVAL's state). */
  private int loadRef;
  private int installRef;
  private int removeRef;
  private int lookupRef;
  /** FUNCTION LOAD may run a library's code this long, as Redis 7.0's LOAD_TIMEOUT_MS. */
  private static final long LOAD_TIMEOUT_NANOS = 500_000_000L;
  /** When the library being loaded runs out of time (System.nanoTime). */
  private long loadDeadline;
  /** The run in progress; null between runs. */
  Bridge bridge;

  /** A state for EVAL scripts, or with {@code functions} for FUNCTION libraries and FCALL. */
  LuaRuntime(boolean functions) {
    L = new Lua51();
    for (String lib : new String[] {"base", "table", "string", "math", "debug"}) L.openLibrary(lib);
    openLibraries(L);
    L.newTable();
    fn("call", l -> bridge.call(l, true));
    fn("pcall", l -> bridge.call(l, false));
    fn("acl_check_cmd", l -> bridge.aclCheck(l));
    fn("error_reply", l -> {
      if (l.getTop() != 1 || l.type(1) != Lua.LuaType.STRING) {
        l.setTop(0);
        pushError(l, "wrong number or type of arguments");
        return 1;
      }
      String e = LuaStrings.string(l, 1);
      l.setTop(0);
      pushError(l, e.startsWith("-") ? e : "-" + e);
      return 1;
    });
    fn("status_reply", l -> {
      if (l.getTop() != 1 || l.type(1) != Lua.LuaType.STRING) {
        l.setTop(0);
        pushError(l, "wrong number or type of arguments");
        return 1;
      }
      l.createTable(0, 1);
      l.pushValue(1);
      l.setField(-2, "ok");
      return 1;
    });
    fn("sha1hex", l -> {
      if (l.getTop() != 1) return raise(l, "wrong number of arguments");
      byte[] b = l.isString(1) ? LuaStrings.bytes(l, 1) : new byte[0];
      l.push(sha1hex(b));
      return 1;
    });
    fn("log", l -> {
      int n = l.getTop();
      if (n < 2) return raise(l, "redis.log() requires two arguments or more.");
      if (!l.isNumber(1)) return raise(l, "First argument must be a number (log level).");
      double level = l.toNumber(1);
      if (level < 0 || level > 3) return raise(l, "Invalid debug level.");
      StringBuilder sb = new StringBuilder();
      for (int i = 2; i <= n; i++) {
        if (!l.isString(i)) continue;
        if (i != 2) sb.append(' ');
        sb.append(LuaStrings.string(l, i));
      }
      bridge.log((int) level, sb.toString());
      return 0;
    });
    fn("setresp", l -> {
      if (l.getTop() != 1) return raise(l, "redis.setresp() requires one argument.");
      double v = l.isNumber(1) ? l.toNumber(1) : 0;
      if (v != 2 && v != 3) return raise(l, "RESP version must be 2 or 3.");
      bridge.setResp((int) v);
      return 0;
    });
    fn("set_repl", l -> {
      if (l.getTop() != 1) return raise(l, "redis.set_repl() requires two arguments.");
      double v = l.isNumber(1) ? l.toNumber(1) : 0;
      int flags = (int) v;
      if (flags < 0 || flags > 3) {
        return raise(l, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
      }
      bridge.setRepl(flags);
      return 0;
    });
    fn("replicate_commands", l -> {
      l.push(true);
      return 1;
    });
    fn("breakpoint", l -> {
      l.push(false);
      return 1;
    });
    fn("debug", l -> 0);
    constant("LOG_DEBUG", 0);
    constant("LOG_VERBOSE", 1);
    constant("LOG_NOTICE", 2);
    constant("LOG_WARNING", 3);
    constant("REPL_NONE", 0);
    constant("REPL_AOF", 1);
    constant("REPL_SLAVE", 2);
    constant("REPL_REPLICA", 2);
    constant("REPL_ALL", 3);
    L.push(Version.REDIS_COMPAT);
    L.setField(-2, "REDIS_VERSION");
    constant("REDIS_VERSION_NUM", versionNum(Version.REDIS_COMPAT));
    L.setGlobal("redis");
    L.push(l -> {
      l.push(bridge.killed());
      return 1;
    });
    L.setGlobal("__vireo_killed");
    L.getGlobal("debug");
    L.getField(-1, "sethook");
    int sethookRef = L.ref();
    L.pop(1);
    load(Bootstrap.LUA.getBytes(StandardCharsets.UTF_8), "=vireo");
    L.pCall(0, 5); // run, env, handler, call, setfenv
    int setfenvRef = L.ref();
    callRef = L.ref();
    int handlerRef = L.ref();
    int envRef = L.ref();
    runnerRef = L.ref();
    if (functions) {
      load(Bootstrap.FUNCTIONS_LUA.getBytes(StandardCharsets.UTF_8), "=vireo");
      L.refGet(envRef);
      L.refGet(handlerRef);
      L.getGlobal("redis");
      L.refGet(setfenvRef);
      L.refGet(sethookRef);
      L.push(l -> {
        l.push(System.nanoTime() - loadDeadline > 0);
        return 1;
      });
      L.pCall(6, 4); // load, install, remove, lookup
      lookupRef = L.ref();
      removeRef = L.ref();
      installRef = L.ref();
      loadRef = L.ref();
    }
  }

  /**
   * Loads a library's code (functions state): leaves status (0 loaded, 1 compile error, 2 registering failed)
   * and the list of {name, flags, description} or the message on the stack.
   */
  void loadLibrary(byte[] code, String libName) {
    loadDeadline = System.nanoTime() + LOAD_TIMEOUT_NANOS;
    L.refGet(loadRef);
    LuaStrings.push(L, code);
    L.push(libName);
    L.pCall(2, 2);
  }

  /** Makes the library loaded as {@code libName} current; null forgets every loaded library not installed. */
  void installLibrary(String libName) {
    L.refGet(installRef);
    if (libName == null) L.pushNil();
    else L.push(libName);
    L.pCall(1, 0);
  }

  /** Forgets a library's callbacks (null: all). */
  void removeLibrary(String libName) {
    L.refGet(removeRef);
    if (libName == null) L.pushNil();
    else L.push(libName);
    L.pCall(1, 0);
  }

  /** Runs a function's callback with its keys and args tables (on the stack above it); leaves ok and result. */
  void callFunction(String libName, String name, byte[][] keys, byte[][] args) {
    L.refGet(callRef);
    L.refGet(lookupRef);
    L.push(libName);
    L.push(name);
    L.pCall(2, 1);
    pushArray(keys);
    pushArray(args);
    L.pCall(3, 2);
  }

  void pushArray(byte[][] values) {
    L.createTable(values.length, 0);
    for (int i = 0; i < values.length; i++) {
      LuaStrings.push(L, values[i]);
      L.rawSetI(-2, i + 1);
    }
  }

  /** Sets {@code redis[name]} (the table at the top) to a Java function. */
  private void fn(String name, JFunction f) {
    L.push(f);
    L.setField(-2, name);
  }

  private void constant(String name, long v) {
    L.push(v);
    L.setField(-2, name);
  }

  /**
   * Pushes the error table Redis's luaPushErrorBuff builds: "-CODE msg" keeps its code, anything else gets ERR;
   * leading and trailing newlines go.
   */
  static void pushError(Lua L, String msg) {
    String code;
    String text;
    if (msg.startsWith("-")) {
      int sp = msg.indexOf(' ');
      code = sp < 0 ? "ERR" : msg.substring(1, sp);
      text = sp < 0 ? msg.substring(1) : msg.substring(sp + 1);
    } else {
      code = "ERR";
      text = msg;
    }
    text = text.replaceAll("^[\\r\\n]+|[\\r\\n]+$", "");
    L.createTable(0, 1);
    L.push(code + " " + text);
    L.setField(-2, "err");
  }

  /** Raises Redis's error table for {@code msg} from a Java function: return what this returns. */
  static int raise(Lua L, String msg) {
    L.setTop(0);
    pushError(L, msg);
    return -1;
  }

  /**
   * cjson, cmsgpack, bit and struct, from {@code dev.vireo.scripting.lib.ScriptLibraries.open(Lua)} when that
   * class is present; without it those four globals are absent.
   */
  static void openLibraries(Lua L) {
    ScriptLibraries.open(L);
  }

  /** Compiles {@code body} and leaves the function on the stack; throws with Lua's message on a syntax error. */
  void load(byte[] body, String chunkName) {
    ByteBuffer b = ByteBuffer.allocateDirect(Math.max(1, body.length));
    b.put(body).flip();
    L.load(b, chunkName);
  }

  /** Compiles a script body: null and a function reference, or the compiler's message. */
  String compile(byte[] body, int[] ref) {
    try {
      load(body, "@user_script");
    } catch (LuaException e) {
      String msg = L.getTop() > 0 && L.isString(-1) ? LuaStrings.string(L, -1) : e.getMessage();
      L.setTop(0);
      return msg;
    }
    ref[0] = L.ref();
    return null;
  }

  /**
   * Runs the function {@code fnRef} in the sandbox; leaves {@code ok} and the result (or the error table) at the
   * top of the stack.
   */
  void run(int fnRef) {
    L.refGet(runnerRef);
    L.refGet(fnRef);
    L.pCall(1, 2);
  }

  void unref(int ref) {
    L.unref(ref);
  }

  static String sha1hex(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** "7.0.15" as Redis's REDIS_VERSION_NUM: 0x00MMmmpp. */
  static long versionNum(String v) {
    String[] p = v.split("\\.");
    return (Long.parseLong(p[0]) << 16) | (Long.parseLong(p[1]) << 8) | Long.parseLong(p[2]);
  }

  @Override
  public void close() {
    L.close();
  }
}
