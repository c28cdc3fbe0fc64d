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

  /**
   * A stream as Redis lays it out: its nodes, each a listpack whose first entries are the node's counters and
   * master fields, keyed by the node's master ID (ascending); then the stream's metadata and its consumer groups
   * (in ascending name order, as Redis's radix tree keeps them). {@code firstId} is null and {@code entriesAdded}
   * is -1 when read from a type-15 stream, which does not carry them; a group's {@code entriesRead} is then -1 too
   * (the keyspace estimates them as Redis does on load).
   */
  record StreamVal(List<StreamNode> nodes, long length, StreamId lastId, StreamId firstId, StreamId maxDeletedId,
      long entriesAdded, List<StreamGroup> groups) implements RdbValue {}

  /** A stream ID: two unsigned 64-bit halves. */
  record StreamId(long ms, long seq) {}

  /** One stream node: its master ID and its whole listpack (header to end byte). */
  record StreamNode(StreamId master, byte[] listpack) {}

  /** A consumer group: its last delivered ID, entries read (-1 when unknown), pending entries and consumers. */
  record StreamGroup(byte[] name, StreamId lastId, long entriesRead, List<StreamNack> pending,
      List<StreamConsumer> consumers) {}

  /** One entry of a group's pending list: delivery time (unix ms) and count; owned by exactly one consumer. */
  record StreamNack(StreamId id, long deliveryTime, long deliveryCount) {}

  /** A consumer: name, seen time (unix ms), and the IDs it has pending (ascending), each in the group's list. */
  record StreamConsumer(byte[] name, long seenTime, List<StreamId> pending) {}

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
    } else if (this instanceof StreamVal) {
      return "stream";
    }
    return "hash";
  }
}
