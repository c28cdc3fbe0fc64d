/**
 * The RDB format, byte-compatible with Redis 7.0: reading every encoding Redis 7.0 writes or still loads (and RDB
 * 11's set listpack), writing version 10. Codecs work on plain values ({@link dev.vireo.persistence.rdb.RdbValue});
 * converting them to and from the keyspace's value types is the caller's business. {@link
 * dev.vireo.persistence.rdb.RdbReader} and {@link dev.vireo.persistence.rdb.RdbWriter} do blocking stream I/O and
 * keep no threads of their own: run them off the data loop, on a worker or a stream the caller feeds.
 */
package dev.vireo.persistence.rdb;
