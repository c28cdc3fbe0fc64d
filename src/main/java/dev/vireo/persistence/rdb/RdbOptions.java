package dev.vireo.persistence.rdb;

/**
 * How {@link RdbWriter} and {@link DumpPayload} choose encodings; the names and defaults are Redis 7.0's config
 * directives.
 *
 * @param compression {@code rdbcompression}: LZF for strings over 20 bytes when it saves space
 * @param checksum {@code rdbchecksum}: write the CRC-64, or 0 when off
 * @param setMaxIntsetEntries {@code set-max-intset-entries}
 * @param zsetMaxListpackEntries {@code zset-max-listpack-entries}
 * @param zsetMaxListpackValue {@code zset-max-listpack-value}: longest member, in bytes
 * @param hashMaxListpackEntries {@code hash-max-listpack-entries}
 * @param hashMaxListpackValue {@code hash-max-listpack-value}: longest field or value, in bytes
 * @param listMaxListpackSize {@code list-max-listpack-size}: negative for a node size limit (-1 = 4 KB ... -5 =
 *     64 KB), positive for an element count
 * @param listPackedThreshold elements this long or longer get a quicklist node of their own (a "plain" node);
 *     Redis's default is 1 GB, {@code DEBUG QUICKLIST-PACKED-THRESHOLD} lowers it
 */
public record RdbOptions(
    boolean compression,
    boolean checksum,
    int setMaxIntsetEntries,
    int zsetMaxListpackEntries,
    int zsetMaxListpackValue,
    int hashMaxListpackEntries,
    int hashMaxListpackValue,
    int listMaxListpackSize,
    long listPackedThreshold) {

  /**
   * Redis 7.0's built-in defaults, as a server started without a config file has them. Note that
   * {@code hash-max-listpack-entries} is 512 there, while the sample {@code redis.conf} sets 128.
   */
  public static RdbOptions defaults() {
    return new RdbOptions(true, true, 512, 128, 64, 512, 64, -2, 1L << 30);
  }

  public RdbOptions withCompression(boolean on) {
    return new RdbOptions(on, checksum, setMaxIntsetEntries, zsetMaxListpackEntries, zsetMaxListpackValue,
        hashMaxListpackEntries, hashMaxListpackValue, listMaxListpackSize, listPackedThreshold);
  }

  public RdbOptions withChecksum(boolean on) {
    return new RdbOptions(compression, on, setMaxIntsetEntries, zsetMaxListpackEntries, zsetMaxListpackValue,
        hashMaxListpackEntries, hashMaxListpackValue, listMaxListpackSize, listPackedThreshold);
  }

  public RdbOptions withListPackedThreshold(long bytes) {
    return new RdbOptions(compression, checksum, setMaxIntsetEntries, zsetMaxListpackEntries, zsetMaxListpackValue,
        hashMaxListpackEntries, hashMaxListpackValue, listMaxListpackSize, bytes);
  }

  /** Bytes a packed list node may reach before a new node starts. */
  int listNodeBytes() {
    if (listMaxListpackSize >= 0) {
      return 8192; // a count limit still stops at Redis's size safety limit
    }
    int level = Math.min(-listMaxListpackSize, 5);
    return 4096 << (level - 1);
  }

  /** Elements a packed list node may hold. */
  int listNodeCount() {
    return listMaxListpackSize > 0 ? listMaxListpackSize : Integer.MAX_VALUE;
  }
}
