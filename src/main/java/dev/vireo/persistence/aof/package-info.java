/**
 * The append-only file, as Redis 7.0's multi-part AOF: the manifest ({@link dev.vireo.persistence.aof.AofManifest})
 * naming a base file and the incremental files written since, in {@code appenddirname}. Writes reach the AOF in the
 * form replicas receive them; fsync follows {@code appendfsync}; rewrites take the base from a snapshot as BGSAVE
 * does. File I/O and fsync run off the data loop except where {@code appendfsync always} requires the reply to wait.
 * At startup with {@code appendonly yes} the AOF, not the RDB file, is the dataset: {@link
 * dev.vireo.persistence.aof.AofLoader} reads the files on a worker thread and applies their commands on the data loop
 * in batches, as Redis's AOF client, while clients get {@code -LOADING}.
 */
package dev.vireo.persistence.aof;
