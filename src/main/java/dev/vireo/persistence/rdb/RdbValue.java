package dev.vireo.persistence.rdb;

import java.util.List;

/**
 * A value as the RDB codecs see it, independent of the keyspace's own classes. Collections are ordered lists so
 * that an encoding is deterministic: a set or hash is written in list order, a sorted set is expected in
 * ascending (score, member) order. The codecs neither copy nor check the arrays; callers own them. Being records
 * of arrays, values compare arrays by identity: compare contents with {@link java.util.Arrays#equals}.
 */
public sealed interface RdbValue {
  /** A string value. */
  record Str(byte[] value) implements RdbValue {}

  /** A list, head first. */
  record ListVal(List<byte[]> elements) implements RdbValue {}

  /** A set; members are expected to be distinct. */
  record SetVal(List<byte[]> members) implements RdbValue {}

  /** A sorted set, in ascending order. */
  record ZSetVal(List<Member> members) implements RdbValue {}

  /** A hash; fields are expected to be distinct. */
  record HashVal(List<Field> fields) implements RdbValue {}

  /** One sorted-set member. */
  record Member(byte[] member, double score) {}

  /** One hash field. */
  record Field(byte[] field, byte[] value) {}

  /** Redis's name for the type, as {@code TYPE} replies. */
  default String typeName() {
    if (this instanceof Str) {
      return "string";
    } else if (this instanceof ListVal) {
      return "list";
    } else if (this instanceof SetVal) {
      return "set";
    } else if (this instanceof ZSetVal) {
      return "zset";
    }
    return "hash";
  }
}
