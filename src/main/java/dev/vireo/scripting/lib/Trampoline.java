package dev.vireo.scripting.lib;

import java.lang.ref.Cleaner;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
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
  /** Notices trampolines Lua has collected (luajava then drops its reference to the Java object). */
  private static final Cleaner CLEANER = Cleaner.create();

  private final int ref;
  private final boolean multi;

  private Trampoline(int ref, boolean multi) {
    this.ref = ref;
    this.multi = multi;
  }

  /**
   * The registry references of one Lua state's collected trampolines: queued by the cleaner's thread, released
   * on the state's own thread the next time a function is wrapped (each {@code cjson.new()} wraps its functions).
   */
  static final class Refs {
    private final Queue<Integer> released = new ConcurrentLinkedQueue<>();

    void unrefReleased(Lua lua) {
      for (Integer ref = released.poll(); ref != null; ref = released.poll()) {
        lua.unref(ref);
      }
    }
  }

  /** The helper {@code wrap(f)}: replaces the Lua function on the stack with its trampoline. */
  static int wrap(Lua lua, boolean multi, Refs refs) {
    refs.unrefReleased(lua);
    lua.setTop(1);
    int ref = lua.ref();
    Trampoline trampoline = new Trampoline(ref, multi);
    Queue<Integer> released = refs.released;
    CLEANER.register(trampoline, () -> released.add(ref));
    lua.push(trampoline);
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
