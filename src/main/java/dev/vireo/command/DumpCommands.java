package dev.vireo.command;

import static dev.vireo.server.CommandSpec.DENYOOM;
import static dev.vireo.server.CommandSpec.READONLY;
import static dev.vireo.server.CommandSpec.WRITE;

import dev.vireo.persistence.RdbValues;
import dev.vireo.persistence.rdb.Crc64;
import dev.vireo.persistence.rdb.DumpPayload;
import dev.vireo.persistence.rdb.RdbException;
import dev.vireo.persistence.rdb.RdbValue;
import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.resp.Errors;
import dev.vireo.server.Client;
import dev.vireo.server.CommandTable;
import dev.vireo.server.Server;
import dev.vireo.store.Entry;
import dev.vireo.store.Keyspace;
import java.util.Arrays;

/**
 * DUMP key and RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency].
 *
 * <p>A payload is one value in RDB form followed by the RDB version and a CRC-64, byte for byte what Redis 7.0
 * produces and accepts, so keys move between Vireo and Redis in either direction.
 */
final class DumpCommands {
  /** The newest RDB version Redis 7.0 restores from a payload. */
  private static final int PAYLOAD_RDB_VERSION = 10;

  private DumpCommands() {}

  static void register(CommandTable t) {
    t.add("dump", 2, READONLY, 1, 1, 1, "generic", "2.6.0",
        "Returns a serialized representation of the value stored at a key.", DumpCommands::dump);
    t.add("restore", -4, WRITE | DENYOOM, 1, 1, 1, "generic", "2.6.0",
        "Creates a key from the serialized representation of a value.", DumpCommands::restore);
  }

  static void dump(Client c, Args a) {
    Entry e = c.db.lookupRead(a.buf(1), a.off(1), a.len(1));
    byte[] payload = e == null ? null : payload(c.server(), e);
    if (payload == null) c.out.nullBulk();
    else c.out.bulk(payload);
  }

  /** The DUMP payload of an entry (null for a value with no RDB form), as RESTORE on Vireo or Redis reads it. */
  static byte[] payload(Server s, Entry e) {
    RdbValue v = RdbValues.toRdb(e.value);
    if (v == null) return null;
    return DumpPayload.encode(v, RdbValues.options(s.config.getBool("rdbcompression"), true, s.encodingLimits));
  }

  static void restore(Client c, Args a) {
    boolean replace = false;
    boolean absTtl = false;
    long idle = -1;
    long freq = -1;
    // Redis checks, in this order: the options, an existing key, the TTL, then the payload.
    for (int i = 4; i < a.count(); i++) {
      boolean hasNext = i + 1 < a.count();
      if (a.is(i, "replace")) {
        replace = true;
      } else if (a.is(i, "absttl")) {
        absTtl = true;
      } else if (a.is(i, "idletime") && hasNext && freq == -1) {
        idle = a.longArg(++i);
        if (idle < 0) throw new CommandError("ERR Invalid IDLETIME value, must be >= 0");
      } else if (a.is(i, "freq") && hasNext && idle == -1) {
        freq = a.longArg(++i);
        if (freq < 0 || freq > 255) throw new CommandError("ERR Invalid FREQ value, must be >= 0 and <= 255");
      } else {
        throw new CommandError(Errors.SYNTAX);
      }
    }
    // With REPLACE Redis deletes the key as stored, expired or not (no expired event); without, it looks it up.
    Entry existing = replace ? c.db.stored(a.bytes(1)) : c.db.lookup(a.buf(1), a.off(1), a.len(1));
    if (existing != null && !replace) throw new CommandError("BUSYKEY Target key name already exists.");
    long ttl = a.longArg(2);
    if (ttl < 0) throw new CommandError("ERR Invalid TTL value, must be >= 0");
    byte[] payload = a.bytes(3);
    // Redis 7.0 writes and accepts RDB version 10 in a payload; the RDB reader also takes 11 (for files from newer
    // Redis versions), a payload must not.
    int len = payload.length;
    if (len >= 10 && ((payload[len - 10] & 0xFF) | (payload[len - 9] & 0xFF) << 8) > PAYLOAD_RDB_VERSION) {
      throw new CommandError(DumpPayload.BAD_VERSION_OR_CHECKSUM);
    }
    // A bare trailer passes Redis's trailer check and then fails as a value with no type.
    if (len == 10 && Crc64.update(0, payload, 0, 2) == littleEndianLong(payload, 2)) {
      throw new CommandError(DumpPayload.BAD_FORMAT);
    }
    RdbValue decoded;
    try {
      decoded = DumpPayload.decode(payload);
    } catch (RdbException e) {
      throw new CommandError(e.getMessage());
    }
    // Redis 7.0 refuses a payload holding an empty list, set, sorted set or hash: no key may be empty.
    if (isEmptyCollection(decoded)) throw new CommandError(DumpPayload.BAD_FORMAT);
    Server s = c.server();
    Object value;
    try {
      value = RdbValues.fromRdb(decoded, s.encodingLimits);
    } catch (IllegalArgumentException e) {
      throw new CommandError(DumpPayload.BAD_FORMAT); // a stream whose nodes or groups do not hold together
    }
    if (existing != null) c.db.remove(existing);
    Keyspace ks = s.keyspace();
    // ttl 0 means no expiry, also with ABSTTL; Redis adds the clock without an overflow check, and so do we.
    if (ttl != 0 && !absTtl) ttl += ks.now();
    if (ttl != 0 && ttl <= ks.now() && !ks.isReplica()) {
      // Already expired: the key is not created, but the reply is still OK (a replaced key stays deleted).
      if (existing != null) {
        Notify.del(c, a, 1);
        Rewrites.as(c, Rewrites.DEL, a.bytes(1));
        s.addDirty(1);
      }
      c.out.ok();
      return;
    }
    Entry n = c.db.add(a.bytes(1), value);
    if (ttl != 0) {
      c.db.setExpire(n, ttl);
      if (!absTtl) {
        // a relative TTL goes out as an absolute one: the time here and ABSTTL appended
        byte[][] v = Arrays.copyOf(Rewrites.replacing(a, 2, Rewrites.num(ttl)), a.count() + 1);
        v[a.count()] = Rewrites.ABSTTL;
        Rewrites.as(c, v);
      }
    }
    ks.restoreAccess(n, idle, freq); // the one the policy tracks
    Notify.arg(c, Notify.GENERIC, "restore", a, 1);
    s.addDirty(1);
    c.out.ok();
  }

  private static boolean isEmptyCollection(RdbValue v) {
    if (v instanceof RdbValue.ListVal l) return l.elements().isEmpty();
    if (v instanceof RdbValue.SetVal set) return set.members().isEmpty();
    if (v instanceof RdbValue.ZSetVal z) return z.members().isEmpty();
    if (v instanceof RdbValue.HashVal h) return h.fields().isEmpty();
    return false;
  }

  private static long littleEndianLong(byte[] b, int off) {
    long v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | (b[off + i] & 0xFF);
    return v;
  }
}
