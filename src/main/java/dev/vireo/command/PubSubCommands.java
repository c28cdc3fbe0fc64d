package dev.vireo.command;

/** Pub/sub: SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE PUBLISH PUBSUB. */
final class PubSubCommands {
  private PubSubCommands() {}

  static void register(CommandTable t) {}
}
