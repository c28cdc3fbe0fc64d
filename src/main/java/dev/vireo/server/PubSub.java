package dev.vireo.server;

import dev.vireo.store.Bytes;
import dev.vireo.util.Glob;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Publish/subscribe: who listens on which channel, pattern and shard channel, and the delivery of messages (RESP2
 * arrays or RESP3 pushes, written by {@code RespWriter.push}). Subscriptions are also kept on each client, in the
 * order they were made, for UNSUBSCRIBE without arguments. Data loop only.
 *
 * <p>The three kinds share one bookkeeping ({@link Index}); they differ in their reply names and in the count a
 * confirmation carries: channels and patterns count together, shard channels (SSUBSCRIBE, Redis 7.0) count alone.
 * Shard channels ignore patterns. Outside cluster mode every shard channel lives on this node.
 */
public final class PubSub {
  /** One kind of subscription: the server-side index name → subscribers and the client-side set. */
  private static final class Index {
    final Map<Bytes, LinkedHashSet<Client>> subscribers;
    final Function<Client, Set<Bytes>> mine;
    final ToIntFunction<Client> count;
    final String subscribed;
    final String unsubscribed;

    Index(Map<Bytes, LinkedHashSet<Client>> subscribers, Function<Client, Set<Bytes>> mine,
        ToIntFunction<Client> count, String subscribed, String unsubscribed) {
      this.subscribers = subscribers;
      this.mine = mine;
      this.count = count;
      this.subscribed = subscribed;
      this.unsubscribed = unsubscribed;
    }

    void reply(Client c, String kind, Bytes name) {
      c.out.push(3).bulk(kind);
      if (name == null) c.out.nullBulk();
      else c.out.bulk(name.array());
      c.out.integer(count.applyAsInt(c));
    }

    void subscribe(Client c, Bytes name) {
      if (mine.apply(c).add(name)) subscribers.computeIfAbsent(name, k -> new LinkedHashSet<>()).add(c);
      reply(c, subscribed, name);
    }

    boolean drop(Client c, Bytes name) {
      if (!mine.apply(c).remove(name)) return false;
      LinkedHashSet<Client> s = subscribers.get(name);
      if (s != null && s.remove(c) && s.isEmpty()) subscribers.remove(name);
      return true;
    }

    /** Of the given names, or of all the client's when none are given; a null name when there were none. */
    void unsubscribe(Client c, List<Bytes> names) {
      List<Bytes> targets = names.isEmpty() ? new ArrayList<>(mine.apply(c)) : names;
      if (targets.isEmpty()) {
        reply(c, unsubscribed, null);
        return;
      }
      for (Bytes n : targets) {
        drop(c, n);
        reply(c, unsubscribed, n);
      }
    }

    void dropAll(Client c) {
      for (Bytes n : new ArrayList<>(mine.apply(c))) drop(c, n);
    }

    int subscriberCount(Bytes name) {
      LinkedHashSet<Client> s = subscribers.get(name);
      return s == null ? 0 : s.size();
    }
  }

  private static int plainCount(Client c) {
    return c.channels.size() + c.patterns.size();
  }

  private final Index channels =
      new Index(new HashMap<>(), c -> c.channels, PubSub::plainCount, "subscribe", "unsubscribe");
  private final Index patterns =
      new Index(new LinkedHashMap<>(), c -> c.patterns, PubSub::plainCount, "psubscribe", "punsubscribe");
  private final Index shardChannels =
      new Index(new HashMap<>(), c -> c.shardChannels, c -> c.shardChannels.size(), "ssubscribe", "sunsubscribe");

  /** What a RESP2 client in subscriber mode may still run. */
  static boolean allowedWhileSubscribed(CommandSpec cmd) {
    String n = cmd.name;
    return n.equals("subscribe") || n.equals("psubscribe") || n.equals("unsubscribe") || n.equals("punsubscribe")
        || n.equals("ssubscribe") || n.equals("sunsubscribe") || n.equals("ping") || n.equals("quit")
        || n.equals("reset");
  }

  public void subscribe(Client c, Bytes channel) {
    channels.subscribe(c, channel);
  }

  public void psubscribe(Client c, Bytes pattern) {
    patterns.subscribe(c, pattern);
  }

  /** SSUBSCRIBE of one shard channel. */
  public void ssubscribe(Client c, Bytes channel) {
    shardChannels.subscribe(c, channel);
  }

  /** UNSUBSCRIBE of the given channels, or of all when none are given. */
  public void unsubscribe(Client c, List<Bytes> names, boolean patterns) {
    (patterns ? this.patterns : channels).unsubscribe(c, names);
  }

  /** SUNSUBSCRIBE of the given shard channels, or of all when none are given. */
  public void sunsubscribe(Client c, List<Bytes> names) {
    shardChannels.unsubscribe(c, names);
  }

  /** Drops every subscription of the client, without replies (RESET, disconnect). */
  void unsubscribeAll(Client c) {
    channels.dropAll(c);
    patterns.dropAll(c);
    shardChannels.dropAll(c);
  }

  private static int deliver(LinkedHashSet<Client> subs, String kind, byte[] channel, byte[] message) {
    if (subs == null) return 0;
    for (Client s : subs) {
      s.out.push(3).bulk(kind).bulk(channel).bulk(message);
      s.markPendingFlush();
    }
    return subs.size();
  }

  /** PUBLISH: delivers to channel subscribers, then to pattern subscribers; returns the number of receivers. */
  public int publish(byte[] channel, byte[] message) {
    int receivers = deliver(channels.subscribers.get(Bytes.wrap(channel)), "message", channel, message);
    for (Map.Entry<Bytes, LinkedHashSet<Client>> e : patterns.subscribers.entrySet()) {
      byte[] p = e.getKey().array();
      if (!Glob.match(p, 0, p.length, channel, 0, channel.length, false)) continue;
      for (Client s : e.getValue()) {
        s.out.push(4).bulk("pmessage").bulk(p).bulk(channel).bulk(message);
        s.markPendingFlush();
        receivers++;
      }
    }
    return receivers;
  }

  /** SPUBLISH: delivers to the shard channel's subscribers only; returns their number. */
  public int spublish(byte[] channel, byte[] message) {
    return deliver(shardChannels.subscribers.get(Bytes.wrap(channel)), "smessage", channel, message);
  }

  public Set<Bytes> channels() {
    return channels.subscribers.keySet();
  }

  public int channelSubscriberCount(Bytes channel) {
    return channels.subscriberCount(channel);
  }

  public int patternCount() {
    return patterns.subscribers.size();
  }

  /** The shard channels with subscribers (PUBSUB SHARDCHANNELS, INFO pubsubshard_channels). */
  public Set<Bytes> shardChannels() {
    return shardChannels.subscribers.keySet();
  }

  public int shardChannelSubscriberCount(Bytes channel) {
    return shardChannels.subscriberCount(channel);
  }
}
