package dev.vireo.scripting.lib;

import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.lua51.Lua51Natives;

/**
 * A library function as Lua sees it: a C function that calls its Lua body (kept in the registry) in a protected
 * call and returns its results, or raises its error value unchanged. Raising from here rather than from the body
 * keeps the error free of a position in the library's source, and the function a C one for {@code debug.getinfo}.
 *
 * <p>A "multi" body returns a table and a count instead of its results, which are then pushed from here: a C
 * function may return as many values as its stack holds (LUAI_MAXCSTACK), more than Lua's {@code unpack} could.
 */
final class Trampoline implements JFunction {
  private static final int LUA_MULTRET = -1;

  private final int ref;
  private final boolean multi;

  private Trampoline(int ref, boolean multi) {
    this.ref = ref;
    this.multi = multi;
  }

  /** The helper {@code wrap(f)}: replaces the Lua function on the stack with its trampoline. */
  static int wrap(Lua lua, boolean multi) {
    lua.setTop(1);
    int ref = lua.ref();
    lua.push(new Trampoline(ref, multi));
    return 1;
  }

  @Override
  public int __call(Lua lua) {
    int args = lua.getTop();
    lua.refGet(ref);
    lua.insert(1);
    Lua51Natives natives = (Lua51Natives) lua.getLuaNatives();
    if (natives.lua_pcall(lua.getPointer(), args, multi ? 2 : LUA_MULTRET, 0) != 0) {
      return -1;
    }
    if (!multi) {
      return lua.getTop();
    }
    int count = (int) lua.toNumber(2);
    lua.pop(1);
    lua.checkStack(count);
    for (int i = 1; i <= count; i++) {
      lua.rawGetI(1, i);
    }
    lua.remove(1);
    return count;
  }
}
