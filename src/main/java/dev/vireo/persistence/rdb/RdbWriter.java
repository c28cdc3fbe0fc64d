package dev.vireo.persistence.rdb;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a version-10 RDB ({@code REDIS0010}, as Redis 7.0 does) to a stream as it goes; nothing is buffered
 * beyond one 64 KB block and the value being encoded. Call order:
 *
 * <pre>
 * header(), aux(...)* or standardAux(...), then per database: selectDb(n), resizeDb(keys, expires), key(...)*,
 * and finally finish()
 * </pre>
 *
 * The writer does not close the stream.
 */
public final class RdbWriter {
  /** What {@code redis-ver} says: the Redis release whose format and behaviour this matches. */
  public static final String REDIS_VER = "7.0.15";

  private final RdbOutput out;
  private final RdbOptions options;
  private boolean finished;

  public RdbWriter(OutputStream out, RdbOptions options) {
    this.out = new RdbOutput(out, options.compression());
    this.options = options;
  }

  /** The magic and version: {@code REDIS0010}. */
  public RdbWriter header() throws IOException {
    out.write(String.format("REDIS%04d", RdbFormat.VERSION).getBytes(StandardCharsets.US_ASCII));
    return this;
  }

  /** One {@code AUX} field; integer-looking values are stored as integers, as Redis does. */
  public RdbWriter aux(String name, String value) throws IOException {
    return aux(name, value.getBytes(StandardCharsets.UTF_8));
  }

  public RdbWriter aux(String name, byte[] value) throws IOException {
    out.writeByte(RdbFormat.OPCODE_AUX);
    out.writeString(name.getBytes(StandardCharsets.UTF_8));
    out.writeString(value);
    return this;
  }

  /**
   * The aux fields Redis 7.0 writes at the top of a snapshot, in its order: {@code redis-ver}, {@code redis-bits},
   * {@code ctime}, {@code used-mem}, {@code repl-stream-db}, {@code repl-id}, {@code repl-offset},
   * {@code aof-base}. {@code replId} null leaves out the three replication fields (Redis writes them only when it
   * has replication info to save); a negative {@code replStreamDb} leaves out {@code repl-stream-db} alone, as
   * Redis does for a master that never had a backlog.
   */
  public RdbWriter standardAux(long ctimeSeconds, long usedMem, int replStreamDb, String replId, long replOffset,
      boolean aofBase) throws IOException {
    aux("redis-ver", REDIS_VER);
    aux("redis-bits", "64");
    aux("ctime", Long.toString(ctimeSeconds));
    aux("used-mem", Long.toString(usedMem));
    if (replId != null) {
      if (replStreamDb >= 0) aux("repl-stream-db", Integer.toString(replStreamDb));
      aux("repl-id", replId);
      aux("repl-offset", Long.toString(replOffset));
    }
    aux("aof-base", aofBase ? "1" : "0");
    return this;
  }

  /** A {@code FUNCTION2} record: one function library's code. */
  public RdbWriter function(byte[] code) throws IOException {
    out.writeByte(RdbFormat.OPCODE_FUNCTION2);
    out.writeString(code);
    return this;
  }

  /** {@code SELECTDB}: the keys that follow belong to database {@code db}. */
  public RdbWriter selectDb(int db) throws IOException {
    if (db < 0) {
      throw new IllegalArgumentException("negative database " + db);
    }
    out.writeByte(RdbFormat.OPCODE_SELECTDB);
    out.writeLength(db);
    return this;
  }

  /** {@code RESIZEDB}: how many keys, and how many with a TTL, the current database holds (sizing hints). */
  public RdbWriter resizeDb(long keys, long expires) throws IOException {
    out.writeByte(RdbFormat.OPCODE_RESIZEDB);
    out.writeLength(keys);
    out.writeLength(expires);
    return this;
  }

  /**
   * One key: an {@code EXPIRETIME_MS} when {@code expireAtMillis >= 0} (absolute Unix time in ms), then the type,
   * the key and the value in the encoding Redis would pick for it under the writer's options.
   *
   * @throws IllegalArgumentException for an empty collection or a NaN score, which Redis cannot hold
   */
  public RdbWriter key(byte[] key, RdbValue value, long expireAtMillis) throws IOException {
    if (expireAtMillis >= 0) {
      out.writeByte(RdbFormat.OPCODE_EXPIRETIME_MS);
      out.writeLongLE(expireAtMillis, 8);
    }
    ValueCodec.writeKeyed(out, key, value, options);
    return this;
  }

  /** {@code EOF}, the CRC-64 (or 0 when checksums are off), and a flush. */
  public void finish() throws IOException {
    if (finished) {
      return;
    }
    out.writeByte(RdbFormat.OPCODE_EOF);
    long crc = out.crc();
    out.writeLongLE(options.checksum() ? crc : 0, 8);
    out.flush();
    finished = true;
  }

  /** Bytes written so far. */
  public long bytesWritten() {
    return out.written();
  }
}
