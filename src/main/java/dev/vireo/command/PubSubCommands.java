package dev.vireo.command;

import static dev.vireo.server.CommandSpec.FAST;
import static dev.vireo.server.CommandSpec.LOADING;
import static dev.vireo.server.CommandSpec.MAY_REPLICATE;
import static dev.vireo.server.CommandSpec.NOSCRIPT;
import static dev.vireo.server.CommandSpec.PUBSUB;
import static dev.vireo.server.CommandSpec.STALE;

import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.server.Client;
import dev.vireo.server.CommandTable;
import dev.vireo.server.PubSub;
import dev.vireo.store.Bytes;
import dev.vireo.util.Glob;
import java.util.ArrayList;
import java.util.List;

/**
 * Pub/sub: SUBSCRIBE channel..., UNSUBSCRIBE [channel...], PSUBSCRIBE pattern..., PUNSUBSCRIBE [pattern...],
 * PUBLISH channel message, SSUBSCRIBE shardchannel..., SUNSUBSCRIBE [shardchannel...], SPUBLISH shardchannel message,
 * PUBSUB CHANNELS [pattern] | NUMSUB [channel...] | NUMPAT | SHARDCHANNELS [pattern] | SHARDNUMSUB [shardchannel...].
 * Messages are RESP3 push frames, or arrays in RESP2. Outside cluster mode shard channels are one more namespace of
 * channels on this node; the key specs name them with {@code not_key}, as Redis's command table does.
 */
final class PubSubCommands {
  private PubSubCommands() {}

  static void register(CommandTable t) {
    int f = PUBSUB | NOSCRIPT | LOADING | STALE;
    t.add("subscribe", -2, f, 0, 0, 0, "pubsub", "2.0.0", "Listens for messages published to channels.",
        (c, a) -> {
          for (int i = 1; i < a.count(); i++) c.server().pubsub.subscribe(c, Bytes.wrap(a.bytes(i)));
        });
    t.add("psubscribe", -2, f, 0, 0, 0, "pubsub", "2.0.0", "Listens for messages published to channels that "
        + "match one or more patterns.", (c, a) -> {
          for (int i = 1; i < a.count(); i++) c.server().pubsub.psubscribe(c, Bytes.wrap(a.bytes(i)));
        });
    t.add("unsubscribe", -1, f, 0, 0, 0, "pubsub", "2.0.0", "Stops listening to messages posted to channels.",
        (c, a) -> c.server().pubsub.unsubscribe(c, names(a), false));
    t.add("punsubscribe", -1, f, 0, 0, 0, "pubsub", "2.0.0",
        "Stops listening to messages published to channels that match one or more patterns.",
        (c, a) -> c.server().pubsub.unsubscribe(c, names(a), true));
    t.add("publish", 3, PUBSUB | LOADING | STALE | FAST | MAY_REPLICATE, 0, 0, 0, "pubsub", "2.0.0",
        "Posts a message to a channel.", PubSubCommands::publish);
    t.add("ssubscribe", -2, f, 1, -1, 1, "pubsub", "7.0.0",
        "Listen for messages published to the given shard channels", PubSubCommands::ssubscribe);
    t.add("sunsubscribe", -1, f, 1, -1, 1, "pubsub", "7.0.0",
        "Stop listening for messages posted to the given shard channels",
        (c, a) -> c.server().pubsub.sunsubscribe(c, names(a)));
    t.add("spublish", 3, PUBSUB | LOADING | STALE | FAST | MAY_REPLICATE, 1, 1, 1, "pubsub", "7.0.0",
        "Post a message to a shard channel", PubSubCommands::spublish);
    int g = PUBSUB | LOADING | STALE;
    t.add("pubsub", -2, 0, 0, 0, 0, "pubsub", "2.8.0", "A container for Pub/Sub commands.", null)
        .sub("channels", -2, g, 0, 0, 0, "2.8.0", "Returns the active channels.", PubSubCommands::channels)
        .sub("numsub", -2, g, 0, 0, 0, "2.8.0", "Returns a count of subscribers to channels.",
            (c, a) -> numsub(c, a, false))
        .sub("numpat", 2, g, 0, 0, 0, "2.8.0", "Returns a count of unique pattern subscriptions.",
            (c, a) -> c.out.integer(c.server().pubsub.patternCount()))
        .sub("shardchannels", -2, g, 0, 0, 0, "7.0.0", "Returns the active shard channels.",
            PubSubCommands::shardchannels)
        .sub("shardnumsub", -2, g, 0, 0, 0, "7.0.0", "Returns the count of subscribers of shard channels.",
            (c, a) -> numsub(c, a, true))
        .sub("help", 2, LOADING | STALE, 0, 0, 0, "6.2.0", "Returns helpful text about the different subcommands.",
            (c, a) -> Help.reply(c, "PUBSUB", List.of(
                "CHANNELS [<pattern>]",
                "    Return the currently active channels matching a <pattern> (default: '*').",
                "NUMPAT",
                "    Return number of subscriptions to patterns.",
                "NUMSUB [<channel> ...]",
                "    Return the number of subscribers for the specified channels, excluding",
                "    pattern subscriptions(default: no channels).",
                "SHARDCHANNELS [<pattern>]",
                "    Return the currently active shard level channels matching a <pattern> (default: '*').",
                "SHARDNUMSUB [<shardchannel> ...]",
                "    Return the number of subscribers for the specified shard level channel(s)")));
  }

  private static List<Bytes> names(Args a) {
    List<Bytes> r = new ArrayList<>();
    for (int i = 1; i < a.count(); i++) r.add(Bytes.wrap(a.bytes(i)));
    return r;
  }

  private static void channels(Client c, Args a) {
    list(c, a, c.server().pubsub.channels());
  }

  private static void shardchannels(Client c, Args a) {
    list(c, a, c.server().pubsub.shardChannels());
  }

  /** PUBSUB CHANNELS / SHARDCHANNELS [pattern]: the channels with subscribers, those matching the pattern. */
  private static void list(Client c, Args a, Iterable<Bytes> channels) {
    if (a.count() > 3) {
      throw new CommandError("ERR unknown subcommand or wrong number of arguments for '" + a.str(1)
          + "'. Try PUBSUB HELP.");
    }
    List<byte[]> found = new ArrayList<>();
    for (Bytes ch : channels) {
      byte[] b = ch.array();
      if (a.count() == 3 && !Glob.match(a.buf(2), a.off(2), a.len(2), b, 0, b.length, false)) continue;
      found.add(b);
    }
    c.out.array(found.size());
    for (byte[] b : found) c.out.bulk(b);
  }

  /** PUBSUB NUMSUB / SHARDNUMSUB [channel...]: each channel and its number of subscribers (patterns aside). */
  private static void numsub(Client c, Args a, boolean shard) {
    PubSub pubsub = c.server().pubsub;
    c.out.array((a.count() - 2) * 2L);
    for (int i = 2; i < a.count(); i++) {
      Bytes ch = Bytes.copyOf(a.buf(i), a.off(i), a.len(i));
      c.out.bulk(a.buf(i), a.off(i), a.len(i));
      c.out.integer(shard ? pubsub.shardChannelSubscriberCount(ch) : pubsub.channelSubscriberCount(ch));
    }
  }

  /** SSUBSCRIBE: refused inside MULTI/EXEC (unlike SUBSCRIBE, which Redis keeps allowing there). */
  private static void ssubscribe(Client c, Args a) {
    if (!c.canBlock()) throw new CommandError("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
    for (int i = 1; i < a.count(); i++) c.server().pubsub.ssubscribe(c, Bytes.wrap(a.bytes(i)));
  }

  /** PUBLISH channel message: also sent to replicas (whose subscribers get it too), as Redis 7.0 does. */
  static void publish(Client c, Args a) {
    c.out.integer(c.server().pubsub.publish(a.bytes(1), a.bytes(2)));
    Rewrites.as(c, a.toArray());
  }

  /** SPUBLISH shardchannel message: shard subscribers only; sent to replicas as PUBLISH is outside cluster mode. */
  static void spublish(Client c, Args a) {
    c.out.integer(c.server().pubsub.spublish(a.bytes(1), a.bytes(2)));
    Rewrites.as(c, a.toArray());
  }
}
