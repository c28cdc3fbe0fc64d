package dev.vireo.server;

/** What INFO memory reports of the script engine (EVAL's cache and Lua state). Data loop only. */
public interface ScriptInfo {
  /** number_of_cached_scripts */
  long cachedScripts();

  /** used_memory_scripts_eval: the cached scripts' bodies and overhead. */
  long scriptsMemory();

  /** used_memory_vm_eval: the Lua state's memory. */
  long vmMemory();

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
