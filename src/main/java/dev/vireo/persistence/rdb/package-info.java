/**
 * The RDB format, byte-compatible with Redis 7.0: reading every encoding Redis 7.0 writes or still loads (and RDB
 * 11's set listpack), writing version 10. Codecs work on plain values ({@link dev.vireo.persistence.rdb.RdbValue});
 * converting them to and from the keyspace's value types is the caller's business. Pure functions, no threads.
 */
package dev.vireo.persistence.rdb;
