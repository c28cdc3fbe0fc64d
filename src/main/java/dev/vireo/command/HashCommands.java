package dev.vireo.command;

/** Hashes: HSET HSETNX HGET HMGET HMSET HDEL HLEN HSTRLEN HEXISTS HKEYS HVALS HGETALL HINCRBY HINCRBYFLOAT HRANDFIELD HSCAN. */
final class HashCommands {
  private HashCommands() {}

  static void register(CommandTable t) {}
}
