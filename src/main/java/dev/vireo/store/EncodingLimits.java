package dev.vireo.store;

import dev.vireo.config.ServerConfig;

/**
 * The thresholds at which Redis changes a value's encoding (OBJECT ENCODING): a small hash, sorted set or set
 * is reported as listpack/intset until it grows past them, and never goes back; and the size of a stream's nodes.
 * Kept in sync with CONFIG SET, so that commands read fields rather than parse the configuration each time.
 */
public final class EncodingLimits {
  public long hashMaxListpackEntries;
  public long hashMaxListpackValue;
  public long setMaxIntsetEntries;
  public long zsetMaxListpackEntries;
  public long zsetMaxListpackValue;
  public long listMaxListpackSize;
  public long streamNodeMaxBytes;
  public long streamNodeMaxEntries;

  public EncodingLimits(ServerConfig config) {
    Runnable load = () -> {
      hashMaxListpackEntries = config.getLong("hash-max-listpack-entries");
      hashMaxListpackValue = config.getLong("hash-max-listpack-value");
      setMaxIntsetEntries = config.getLong("set-max-intset-entries");
      zsetMaxListpackEntries = config.getLong("zset-max-listpack-entries");
      zsetMaxListpackValue = config.getLong("zset-max-listpack-value");
      listMaxListpackSize = config.getLong("list-max-listpack-size");
      streamNodeMaxBytes = config.getLong("stream-node-max-bytes");
      streamNodeMaxEntries = config.getLong("stream-node-max-entries");
    };
    load.run();
    for (String name : new String[] {"hash-max-listpack-entries", "hash-max-listpack-value",
        "set-max-intset-entries", "zset-max-listpack-entries", "zset-max-listpack-value", "list-max-listpack-size",
        "stream-node-max-bytes", "stream-node-max-entries"}) {
      config.onChange(name, v -> load.run());
    }
  }
}
