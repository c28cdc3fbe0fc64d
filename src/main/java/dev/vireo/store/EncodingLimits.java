package dev.vireo.store;

import dev.vireo.config.ServerConfig;

/**
 * The thresholds at which Redis changes a value's encoding (OBJECT ENCODING): a small hash, sorted set or set
 * is reported as listpack/intset until it grows past them, and never goes back. Kept in sync with CONFIG SET.
 */
public final class EncodingLimits {
  public long hashMaxListpackEntries;
  public long hashMaxListpackValue;
  public long setMaxIntsetEntries;
  public long zsetMaxListpackEntries;
  public long zsetMaxListpackValue;
  public long listMaxListpackSize;

  public EncodingLimits(ServerConfig config) {
    Runnable load = () -> {
      hashMaxListpackEntries = config.getLong("hash-max-listpack-entries");
      hashMaxListpackValue = config.getLong("hash-max-listpack-value");
      setMaxIntsetEntries = config.getLong("set-max-intset-entries");
      zsetMaxListpackEntries = config.getLong("zset-max-listpack-entries");
      zsetMaxListpackValue = config.getLong("zset-max-listpack-value");
      listMaxListpackSize = config.getLong("list-max-listpack-size");
    };
    load.run();
    for (String name : new String[] {"hash-max-listpack-entries", "hash-max-listpack-value",
        "set-max-intset-entries", "zset-max-listpack-entries", "zset-max-listpack-value", "list-max-listpack-size"}) {
      config.onChange(name, v -> load.run());
    }
  }
}
