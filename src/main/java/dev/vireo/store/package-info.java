/**
 * The keyspace: databases of {@link dev.vireo.store.Entry}s in a {@link dev.vireo.store.Dict}, expiry (lazy on
 * access plus the active cycle). Owned by the data loop: every read and write happens on it, without locks.
 */
package dev.vireo.store;
