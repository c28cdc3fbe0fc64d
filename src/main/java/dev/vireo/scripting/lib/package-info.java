/**
 * The Lua libraries Redis 7.0 gives scripts besides Lua's own: {@code cjson}, {@code cmsgpack}, {@code bit} and
 * {@code struct}, with Redis 7.0.15's behaviour (number formats, byte encodings, error texts, limits) and as
 * read-only tables. {@link dev.vireo.scripting.lib.ScriptLibraries#open} defines them in a Lua 5.1 state.
 *
 * <p>Written in Lua ({@code libraries.lua} in the resources) over a few Java helpers for what Lua 5.1 cannot do
 * exactly: IEEE float/double bit patterns, LuaBitOp's 32-bit arithmetic on doubles, C's integer conversions. Each
 * public function is a Java function (a C function to Lua) that runs its Lua body in a protected call and re-raises
 * its error, so scripts see what a C library gives them: {@code debug.getinfo} says {@code "C"}, errors carry the
 * caller's position as {@code luaL_error} adds it, argument errors name the function as the call site does.
 *
 * <p>Read-only is a proxy (Lua 5.1 has no read-only tables; Redis patches its Lua for them): each global is an empty
 * table whose metatable reads through to the library and raises {@code Attempt to modify a readonly table} on
 * assignment. {@code open} also replaces {@code rawset}, {@code rawget}, {@code next}, {@code pairs},
 * {@code getmetatable}, {@code setmetatable} and {@code table.insert} with versions that see through the proxies
 * (or refuse to write) as Redis's do on its read-only tables, and behave as Lua's own otherwise. The library tables
 * are built in the order the C libraries fill theirs, so {@code pairs} walks them in Redis's order.
 * {@link dev.vireo.scripting.lib.ScriptLibraries#readOnly} makes the same kind of view of any other table (Redis 7.0
 * also makes {@code string}, {@code table}, {@code math} and the globals read-only), so there is one mechanism.
 *
 * <p>Threads: a Lua state is single-threaded. Only the thread that owns the state (the data loop, for the script
 * engine) may call {@code open} and the functions it defines; nothing here keeps state outside the Lua state but
 * a queue of registry references that a JDK cleaner thread fills when Lua has collected a function (those of
 * {@code cjson.new()} instances) and that the owner thread empties, so each {@code lua_unref} runs on the owner.
 * Depends on luajava only, on no other package of the node.
 */
package dev.vireo.scripting.lib;
