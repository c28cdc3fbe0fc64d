package dev.vireo.persistence.rdb;

/** Opcodes, value types and encoding markers of the RDB format, with Redis's names. */
final class RdbFormat {
  private RdbFormat() {}

  /** The version this codec writes: Redis 7.0's. */
  static final int VERSION = 10;
  /** The newest version it reads: Redis 7.2's (adds the set listpack). */
  static final int MAX_READ_VERSION = 11;

  static final int TYPE_STRING = 0;
  static final int TYPE_LIST = 1;
  static final int TYPE_SET = 2;
  static final int TYPE_ZSET = 3;
  static final int TYPE_HASH = 4;
  static final int TYPE_ZSET_2 = 5;
  static final int TYPE_MODULE_PRE_GA = 6;
  static final int TYPE_MODULE_2 = 7;
  static final int TYPE_HASH_ZIPMAP = 9;
  static final int TYPE_LIST_ZIPLIST = 10;
  static final int TYPE_SET_INTSET = 11;
  static final int TYPE_ZSET_ZIPLIST = 12;
  static final int TYPE_HASH_ZIPLIST = 13;
  static final int TYPE_LIST_QUICKLIST = 14;
  static final int TYPE_STREAM_LISTPACKS = 15;
  static final int TYPE_HASH_LISTPACK = 16;
  static final int TYPE_ZSET_LISTPACK = 17;
  static final int TYPE_LIST_QUICKLIST_2 = 18;
  static final int TYPE_STREAM_LISTPACKS_2 = 19;
  static final int TYPE_SET_LISTPACK = 20;
  static final int TYPE_STREAM_LISTPACKS_3 = 21;

  static final int OPCODE_FUNCTION_PRE_GA = 0xF6;
  static final int OPCODE_FUNCTION2 = 0xF5;
  static final int OPCODE_MODULE_AUX = 0xF7;
  static final int OPCODE_IDLE = 0xF8;
  static final int OPCODE_FREQ = 0xF9;
  static final int OPCODE_AUX = 0xFA;
  static final int OPCODE_RESIZEDB = 0xFB;
  static final int OPCODE_EXPIRETIME_MS = 0xFC;
  static final int OPCODE_EXPIRETIME = 0xFD;
  static final int OPCODE_SELECTDB = 0xFE;
  static final int OPCODE_EOF = 0xFF;

  /** Length-prefix kinds: the top two bits of the first byte. */
  static final int LEN_6BIT = 0;
  static final int LEN_14BIT = 1;
  static final int LEN_32BIT = 0x80;
  static final int LEN_64BIT = 0x81;
  static final int LEN_ENCVAL = 3;

  static final int ENC_INT8 = 0;
  static final int ENC_INT16 = 1;
  static final int ENC_INT32 = 2;
  static final int ENC_LZF = 3;

  /** Quicklist 2 node containers. */
  static final int QUICKLIST_NODE_PLAIN = 1;
  static final int QUICKLIST_NODE_PACKED = 2;

  /** Module value opcodes, for skipping {@code MODULE_AUX} records. */
  static final int MODULE_OPCODE_EOF = 0;
  static final int MODULE_OPCODE_SINT = 1;
  static final int MODULE_OPCODE_UINT = 2;
  static final int MODULE_OPCODE_FLOAT = 3;
  static final int MODULE_OPCODE_DOUBLE = 4;
  static final int MODULE_OPCODE_STRING = 5;

  static String typeName(int type) {
    return switch (type) {
      case TYPE_STRING -> "string";
      case TYPE_LIST -> "list";
      case TYPE_SET -> "set";
      case TYPE_ZSET -> "zset";
      case TYPE_HASH -> "hash";
      case TYPE_ZSET_2 -> "zset-2";
      case TYPE_MODULE_PRE_GA -> "module (pre-GA)";
      case TYPE_MODULE_2 -> "module";
      case TYPE_HASH_ZIPMAP -> "hash-zipmap";
      case TYPE_LIST_ZIPLIST -> "list-ziplist";
      case TYPE_SET_INTSET -> "set-intset";
      case TYPE_ZSET_ZIPLIST -> "zset-ziplist";
      case TYPE_HASH_ZIPLIST -> "hash-ziplist";
      case TYPE_LIST_QUICKLIST -> "list-quicklist";
      case TYPE_STREAM_LISTPACKS -> "stream";
      case TYPE_HASH_LISTPACK -> "hash-listpack";
      case TYPE_ZSET_LISTPACK -> "zset-listpack";
      case TYPE_LIST_QUICKLIST_2 -> "list-quicklist-2";
      case TYPE_STREAM_LISTPACKS_2 -> "stream-2";
      case TYPE_SET_LISTPACK -> "set-listpack";
      case TYPE_STREAM_LISTPACKS_3 -> "stream-3";
      default -> "unknown";
    };
  }
}
