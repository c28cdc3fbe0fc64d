/**
 * Persistence: converting keyspace values to and from the RDB codecs' plain values ({@link
 * dev.vireo.persistence.RdbValues}), snapshots (SAVE, BGSAVE, save rules, SHUTDOWN SAVE), loading at startup, and
 * DUMP/RESTORE payloads. Snapshots are taken on the data loop; encoding and disk I/O run on a worker thread. The
 * data loop's core reaches it through {@link dev.vireo.server.Snapshots}.
 */
package dev.vireo.persistence;
