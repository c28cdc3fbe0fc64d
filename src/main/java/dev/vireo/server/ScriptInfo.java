package dev.vireo.server;

import java.util.List;

/**
 * What the data loop's core knows of the script engine: INFO memory's numbers (EVAL's cache and Lua state), and
 * closing it with the node. Data loop only.
 */
public interface ScriptInfo {
  /** number_of_cached_scripts */
  long cachedScripts();

  /** used_memory_scripts_eval: the cached scripts' bodies and overhead. */
  long scriptsMemory();

  /** used_memory_vm_eval: the Lua state's memory. */
  long vmMemory();

  /** number_of_functions, number_of_libraries */
  default long functions() {
    return 0;
  }

  default long libraries() {
    return 0;
  }

  /** The function libraries' code, in load order, for an RDB's FUNCTION2 records (a snapshot). */
  default List<byte[]> libraryCodes() {
    return List.of();
  }

  /**
   * An RDB loaded into the node's dataset: its libraries replace the current ones (none: all go). A library that
   * fails to load is logged and skipped.
   */
  default void replaceLibraries(List<byte[]> codes) {}

  /** The node stops: the engine ends its thread and frees its Lua states. */
  default void close() {}

  /** No script engine. */
  ScriptInfo NONE = new ScriptInfo() {
    @Override
    public long cachedScripts() {
      return 0;
    }

    @Override
    public long scriptsMemory() {
      return 0;
    }

    @Override
    public long vmMemory() {
      return 0;
    }
  };
}
