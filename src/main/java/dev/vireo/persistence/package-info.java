/**
 * Persistence: converting keyspace values to and from the RDB codecs' plain values ({@link
 * dev.vireo.persistence.RdbValues}), snapshots (SAVE, BGSAVE, save rules, SHUTDOWN SAVE), loading at startup, and
 * DUMP/RESTORE payloads. Snapshots are taken on the data loop, which for a database of 65,536 keys or more walks
 * half of the key table while one helper thread ({@code vireo-snapshot}, one per process) walks the other half and
 * the data loop waits for it; encoding and disk I/O run on a worker thread. The
 * data loop's core reaches it through {@link dev.vireo.server.Snapshots}. Loading at startup also restores the
 * replication history the file recorded: as a replica's own, or on a master as its second id with a backlog that
 * starts with the DELs of the keys that expired while it was down (through {@link dev.vireo.server.Propagation}).
 */
package dev.vireo.persistence;
