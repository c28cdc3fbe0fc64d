package dev.vireo.persistence.rdb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a whole RDB from a stream, reporting to a {@link RdbVisitor} as it goes: versions 1 to 11, every string,
 * list, set, sorted-set, hash and stream encoding Redis has written in them. Module values are refused with an
 * {@link RdbException} naming the type and the key; module aux data is skipped.
 *
 * <p>The reader stops right after the checksum. It reads the stream through its own 64 KB buffer, so on a
 * socket some bytes that follow the RDB (the start of a replication stream) may already be in that buffer:
 * {@link #unconsumed()} hands them back. Blocking I/O: run it off the data loop.
 */
public final class RdbReader {
  private final RdbInput in;
  private int version = -1;

  public RdbReader(InputStream in) {
    this.in = new RdbInput(in);
  }

  /** The version from the header, or -1 before it was read. */
  public int version() {
    return version;
  }

  /** Bytes consumed so far. */
  public long offset() {
    return in.offset();
  }

  /** Bytes the reader took from the stream beyond the end of the RDB; call after {@link #read}. */
  public byte[] unconsumed() {
    return in.unconsumed();
  }

  /** Reads everything up to and including the checksum. */
  public void read(RdbVisitor visitor) throws IOException {
    readHeader();
    int db = 0;
    long expireAt = -1;
    while (true) {
      long at = in.offset();
      int type = in.readByte("an opcode or value type");
      switch (type) {
        case RdbFormat.OPCODE_AUX -> {
          byte[] name = in.readString("an aux field name");
          byte[] value = in.readString("the aux field value");
          visitor.aux(new String(name, StandardCharsets.UTF_8), value);
        }
        case RdbFormat.OPCODE_RESIZEDB -> {
          long keys = in.readLength("RESIZEDB");
          long expires = in.readLength("RESIZEDB");
          visitor.resizeDb(keys, expires);
        }
        case RdbFormat.OPCODE_EXPIRETIME_MS -> expireAt = in.readLongLE(8, "EXPIRETIME_MS");
        case RdbFormat.OPCODE_EXPIRETIME -> expireAt = (int) in.readLongLE(4, "EXPIRETIME") * 1000L;
        case RdbFormat.OPCODE_SELECTDB -> {
          long n = in.readLength("SELECTDB");
          if (n > Integer.MAX_VALUE) {
            throw new RdbException("database number " + n + " out of range at offset " + at);
          }
          db = (int) n;
          visitor.selectDb(db);
        }
        case RdbFormat.OPCODE_FREQ -> in.readByte("FREQ");
        case RdbFormat.OPCODE_IDLE -> in.readLength("IDLE");
        case RdbFormat.OPCODE_FUNCTION2 -> visitor.function(in.readString("FUNCTION2"));
        case RdbFormat.OPCODE_FUNCTION_PRE_GA -> throw new RdbException(
            "function records of Redis 7.0 release candidates (opcode 0xF6) are not supported, at offset " + at);
        case RdbFormat.OPCODE_MODULE_AUX -> skipModuleAux(at);
        case RdbFormat.OPCODE_EOF -> {
          readChecksum();
          visitor.end(true);
          return;
        }
        default -> {
          byte[] key = in.readString("a key");
          RdbValue value = ValueCodec.read(in, type, key);
          visitor.key(db, key, value, expireAt);
          expireAt = -1;
        }
      }
    }
  }

  private void readHeader() throws IOException {
    byte[] magic = new byte[9];
    for (int i = 0; i < magic.length; i++) {
      magic[i] = (byte) in.readByte("the RDB header");
    }
    String text = new String(magic, StandardCharsets.ISO_8859_1);
    if (!text.startsWith("REDIS")) {
      throw new RdbException("not an RDB file: bad magic " + ValueCodec.printable(magic));
    }
    String digits = text.substring(5);
    if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new RdbException("not an RDB file: bad version field " + ValueCodec.printable(magic));
    }
    version = Integer.parseInt(digits);
    if (version < 1 || version > RdbFormat.MAX_READ_VERSION) {
      throw new RdbException("RDB version " + version + " is not supported (this reader handles versions 1 to "
          + RdbFormat.MAX_READ_VERSION + "; Redis 7.0 writes 10, 7.2 writes 11, 7.4 writes 12)");
    }
  }

  private void readChecksum() throws IOException {
    if (version < 5) {
      return; // no checksum before RDB 5
    }
    long expected = in.crc();
    long stored = in.readLongLE(8, "the checksum");
    if (stored != 0 && stored != expected) {
      throw new RdbException(String.format("RDB checksum mismatch: the file says %016x, the content gives %016x",
          stored, expected));
    }
  }

  /** Module aux data is a list of typed values ending in an EOF marker, so it can be skipped without the module. */
  private void skipModuleAux(long at) throws IOException {
    in.readLength("MODULE_AUX module id");
    long whenOpcode = in.readLength("MODULE_AUX");
    in.readLength("MODULE_AUX");
    if (whenOpcode != RdbFormat.MODULE_OPCODE_UINT) {
      throw new RdbException("corrupt MODULE_AUX record at offset " + at);
    }
    while (true) {
      long opcode = in.readLength("a module value");
      if (opcode == RdbFormat.MODULE_OPCODE_EOF) {
        return;
      } else if (opcode == RdbFormat.MODULE_OPCODE_SINT || opcode == RdbFormat.MODULE_OPCODE_UINT) {
        in.readLength("a module integer");
      } else if (opcode == RdbFormat.MODULE_OPCODE_FLOAT) {
        in.readLongLE(4, "a module float");
      } else if (opcode == RdbFormat.MODULE_OPCODE_DOUBLE) {
        in.readLongLE(8, "a module double");
      } else if (opcode == RdbFormat.MODULE_OPCODE_STRING) {
        in.readString("a module string");
      } else {
        throw new RdbException("unknown module value opcode " + opcode + " in MODULE_AUX record at offset " + at);
      }
    }
  }
}
