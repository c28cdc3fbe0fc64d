package dev.vireo.scripting.lib;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.LuaException;

/**
 * The Lua libraries Redis 7.0 gives scripts besides Lua's own: {@code cjson}, {@code cmsgpack}, {@code bit} and
 * {@code struct}, as Redis 7.0.15 bundles them (lua-cjson 2.1.0 with Redis's patches, lua-cmsgpack 0.4.0,
 * LuaBitOp 1.0.2, Roberto Ierusalimschy's struct).
 *
 * <p>The libraries are written in Lua ({@code libraries.lua} beside this class) over a few Java helpers for what
 * Lua 5.1 cannot do exactly (IEEE bit patterns, 32-bit integer arithmetic, C's integer conversions). Each public
 * function is a Java (C, to Lua) function that runs its Lua body in a protected call and re-raises its error, so
 * scripts see C library functions: no error position of their own, {@code debug.getinfo} says {@code "C"}, and
 * argument errors name the function as Lua's {@code luaL_argerror} does.
 */
public final class ScriptLibraries {
  private static final String SOURCE = "libraries.lua";
  /** Registry field holding the Lua function that makes a read-only view of a table. */
  private static final String READONLY_KEY = "vireo.scripting.lib.readonly";

  private ScriptLibraries() {}

  /**
   * Defines the globals {@code cjson}, {@code cmsgpack}, {@code bit} and {@code struct} in {@code lua}, a Lua 5.1
   * state with at least the base, string, table, math and debug libraries open. The tables are read-only, as in
   * Redis 7.0: assigning a field raises {@code Attempt to modify a readonly table}. To make that hold for raw access
   * too, it replaces {@code rawset}, {@code rawget}, {@code next}, {@code pairs}, {@code getmetatable},
   * {@code setmetatable} and {@code table.insert} with versions that treat these tables as Redis treats its
   * read-only ones and behave as Lua's own otherwise (error texts included). Call it before the globals are
   * protected or {@code debug} is taken away (the libraries keep their own references to {@code debug.getinfo} and
   * {@code debug.getmetatable}). Only the thread that owns {@code lua} may call this, or any function it defines.
   */
  public static void open(Lua lua) {
    int top = lua.getTop();
    try {
      lua.load(source(), "=" + SOURCE);
      pushHelpers(lua);
      lua.pCall(1, 1);
      lua.setField(lua.getLuaNatives().getRegistryIndex(), READONLY_KEY);
    } catch (LuaException e) {
      lua.setTop(top);
      throw new IllegalStateException("cannot open the scripting libraries: " + e.getMessage(), e);
    }
  }

  /**
   * Replaces the table on top of {@code lua}'s stack with a read-only view of it, as Redis 7.0 makes the tables a
   * script reaches: assignments raise {@code Attempt to modify a readonly table}, and the base functions that
   * {@link #open} installs treat the view as they treat the libraries. {@code open} must have run on {@code lua}.
   */
  public static void readOnly(Lua lua) {
    if (!lua.isTable(-1)) {
      throw new IllegalArgumentException("not a table on top of the stack: " + lua.type(-1));
    }
    lua.getField(lua.getLuaNatives().getRegistryIndex(), READONLY_KEY);
    if (!lua.isFunction(-1)) {
      lua.pop(1);
      throw new IllegalStateException("ScriptLibraries.open has not run on this Lua state");
    }
    lua.insert(-2);
    try {
      lua.pCall(1, 1);
    } catch (LuaException e) {
      throw new IllegalStateException("cannot make a read-only table: " + e.getMessage(), e);
    }
  }

  private static ByteBuffer source() {
    try (InputStream in = ScriptLibraries.class.getResourceAsStream(SOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + SOURCE + " is missing");
      }
      byte[] bytes = in.readAllBytes();
      ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length);
      buffer.put(bytes).flip();
      return buffer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void pushHelpers(Lua lua) {
    lua.newTable();
    Trampoline.Refs refs = new Trampoline.Refs();
    helper(lua, "wrap", l -> Trampoline.wrap(l, false, refs));
    helper(lua, "wrapmulti", l -> Trampoline.wrap(l, true, refs));
    helper(lua, "bitop", l -> {
      l.push(BitOps.apply((int) l.toNumber(1), l.toNumber(2), l.toNumber(3)));
      return 1;
    });
    helper(lua, "tohex", l -> {
      l.push(BitOps.toHex(l.toNumber(1), l.toNumber(2)));
      return 1;
    });
    helper(lua, "f32", l -> {
      l.push((double) (float) l.toNumber(1));
      return 1;
    });
    helper(lua, "f32bits", l -> {
      l.push((double) Integer.toUnsignedLong(Float.floatToRawIntBits((float) l.toNumber(1))));
      return 1;
    });
    helper(lua, "f32from", l -> {
      l.push((double) Float.intBitsToFloat((int) (long) l.toNumber(1)));
      return 1;
    });
    helper(lua, "f64bits", l -> {
      long bits = Double.doubleToRawLongBits(l.toNumber(1));
      l.push((double) (bits >>> 32));
      l.push((double) (bits & 0xffffffffL));
      return 2;
    });
    helper(lua, "f64from", l -> {
      l.push(Double.longBitsToDouble(CNumbers.join(l.toNumber(1), l.toNumber(2))));
      return 1;
    });
    helper(lua, "touint64", l -> {
      long v = CNumbers.toUnsigned64(l.toNumber(1));
      l.push((double) (v >>> 32));
      l.push((double) (v & 0xffffffffL));
      return 2;
    });
    helper(lua, "getint", l -> {
      l.push(CNumbers.structInteger(CNumbers.join(l.toNumber(1), l.toNumber(2)), l.toBoolean(3),
          (int) l.toNumber(4)));
      return 1;
    });
    helper(lua, "toint", l -> {
      l.push((double) (int) CNumbers.toInt64(l.toNumber(1)));
      return 1;
    });
    helper(lua, "toint64", l -> {
      l.push((double) CNumbers.toInt64(l.toNumber(1)));
      return 1;
    });
    helper(lua, "nan", l -> {
      l.push(Double.longBitsToDouble(l.toBoolean(1) ? 0xfff8000000000000L : 0x7ff8000000000000L));
      return 1;
    });
  }

  private static void helper(Lua lua, String name, JFunction function) {
    lua.push(function);
    lua.setField(-2, name);
  }
}
