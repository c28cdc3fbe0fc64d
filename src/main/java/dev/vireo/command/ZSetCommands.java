package dev.vireo.command;

/** Sorted sets: ZADD ZINCRBY ZSCORE ZMSCORE ZCARD ZCOUNT ZLEXCOUNT ZRANGE and friends, ZRANK ZREVRANK ZREM ZREMRANGEBY* ZPOPMIN ZPOPMAX BZPOPMIN BZPOPMAX ZMPOP BZMPOP ZUNION ZINTER ZDIFF (STORE) ZINTERCARD ZRANDMEMBER ZSCAN. */
final class ZSetCommands {
  private ZSetCommands() {}

  static void register(CommandTable t) {}
}
