package dev.vireo.command;

/** Lists: LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LRANGE LINDEX LSET LINSERT LLEN LREM LTRIM LPOS LMOVE RPOPLPUSH LMPOP and the blocking BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP. */
final class ListCommands {
  private ListCommands() {}

  static void register(CommandTable t) {}
}
