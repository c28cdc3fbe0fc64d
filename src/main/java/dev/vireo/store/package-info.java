/**
 * The keyspace: databases of {@link dev.vireo.store.Entry}s in a {@link dev.vireo.store.Dict}, expiry (lazy on
 * access plus the active cycle), and the value types. Owned by the data loop: every read and write happens on it,
 * without locks.
 *
 * <p>The layout is chosen for memory, measured against Redis 7.0 with {@code src/bench/memory.py} (the README's
 * Memory section has the figures):
 *
 * <ul>
 *   <li>A key is an {@link dev.vireo.store.Entry} of 32 bytes, its name's {@code byte[]} and its value. The entry
 *       keeps no hash (the table hashes again when it grows) and no TTL: the TTLs of a database are in its {@link
 *       dev.vireo.store.ExpireSet}, an open-addressing table over two arrays that costs nothing for a key without
 *       one. LRU/LFU bits, encoding hints and the TTL mark share one int; the bytes last accounted share another.
 *       Before, an entry was 56 bytes: a million 100-byte strings took 24 MB more heap.
 *   <li>The key table is an array of chains (a 4-byte slot per key at most), so that SCAN keeps Redis's
 *       reverse-binary cursor and its guarantees across resizes.
 *   <li>A stream ({@link dev.vireo.store.StreamValue}) keeps its entries in listpack nodes laid out exactly as
 *       Redis's (so node boundaries, approximate trims and the RDB form are Redis's, and small entries cost bytes,
 *       not objects), and its consumer groups in sorted maps.
 * </ul>
 *
 * <p>Off-heap slabs were not taken: the data loop's objects die young or live long, which the collector handles
 * well, while a slab allocator would have to give Redis's fragmentation answers of its own; and every value type
 * would need a second, unsafe, representation.
 */
package dev.vireo.store;
