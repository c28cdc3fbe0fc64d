package dev.vireo.scripting;

import party.iroiro.luajava.Lua;

/**
 * What the {@code redis} table asks of the run in progress: one implementation per kind of run (EVAL now,
 * FCALL later), installed in a {@link LuaRuntime} for the run's duration. Script thread only.
 */
interface Bridge {
  /**
   * redis.call ({@code raise}) / redis.pcall: the command's arguments are on {@code L}'s stack; pushes the reply
   * and returns 1, or on error pushes the error table and returns -1 to raise it (redis.call) or 1 (pcall).
   */
  int call(Lua L, boolean raise);

  /** redis.acl_check_cmd: pushes the result and returns 1, or raises. */
  int aclCheck(Lua L);

  /** Checked by the count hook: true once SCRIPT KILL / FUNCTION KILL asked to stop the script. */
  boolean killed();

  void setResp(int proto);

  void setRepl(int flags);

  void log(int level, String message);
}
