/**
 * The keyspace: databases of {@link dev.vireo.store.Entry}s in a {@link dev.vireo.store.Dict}, expiry (lazy on
 * access plus the active cycle), and the value types. A stream ({@link dev.vireo.store.StreamValue}) keeps its
 * entries in listpack nodes laid out exactly as Redis's (so node boundaries, approximate trims and the RDB form are
 * Redis's, and small entries cost bytes, not objects), and its consumer groups in sorted maps. Owned by the data loop: every read and write happens on it, without locks.
 */
package dev.vireo.store;
