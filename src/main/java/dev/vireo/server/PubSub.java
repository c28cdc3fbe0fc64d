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

/**
 * Publish/subscribe: who listens on which channel and pattern, and the delivery of messages (RESP2 arrays or
 * RESP3 pushes, written by {@code RespWriter.push}). Subscriptions are also kept on each client, in the order
 * they were made, for UNSUBSCRIBE without arguments. Data loop only.
 */
public final class PubSub {
  private final Map<Bytes, LinkedHashSet<Client>> channelSubscribers = new HashMap<>();
  private final Map<Bytes, LinkedHashSet<Client>> patternSubscribers = new LinkedHashMap<>();

  /** What a RESP2 client in subscriber mode may still run. */
  static boolean allowedWhileSubscribed(CommandSpec cmd) {
    String n = cmd.name;
    return n.equals("subscribe") || n.equals("psubscribe") || n.equals("unsubscribe") || n.equals("punsubscribe")
        || n.equals("ssubscribe") || n.equals("sunsubscribe") || n.equals("ping") || n.equals("quit")
        || n.equals("reset");
  }

  private static void subscriptionReply(Client c, String kind, Bytes name) {
    c.out.push(3).bulk(kind);
    if (name == null) c.out.nullBulk();
    else c.out.bulk(name.array());
    c.out.integer(c.subscriptionCount());
  }

  public void subscribe(Client c, Bytes channel) {
    if (c.channels.add(channel)) {
      channelSubscribers.computeIfAbsent(channel, k -> new LinkedHashSet<>()).add(c);
    }
    subscriptionReply(c, "subscribe", channel);
  }

  public void psubscribe(Client c, Bytes pattern) {
    if (c.patterns.add(pattern)) {
      patternSubscribers.computeIfAbsent(pattern, k -> new LinkedHashSet<>()).add(c);
    }
    subscriptionReply(c, "psubscribe", pattern);
  }

  /** UNSUBSCRIBE of the given channels, or of all when none are given. */
  public void unsubscribe(Client c, List<Bytes> names, boolean patterns) {
    String kind = patterns ? "punsubscribe" : "unsubscribe";
    Set<Bytes> mine = patterns ? c.patterns : c.channels;
    Map<Bytes, LinkedHashSet<Client>> index = patterns ? patternSubscribers : channelSubscribers;
    List<Bytes> targets = names.isEmpty() ? new ArrayList<>(mine) : names;
    if (targets.isEmpty()) {
      subscriptionReply(c, kind, null);
      return;
    }
    for (Bytes n : targets) {
      if (mine.remove(n)) {
        LinkedHashSet<Client> s = index.get(n);
        if (s != null) {
          s.remove(c);
          if (s.isEmpty()) index.remove(n);
        }
      }
      subscriptionReply(c, kind, n);
    }
  }

  /** Drops every subscription of the client, without replies (RESET, disconnect). */
  void unsubscribeAll(Client c) {
    for (Bytes ch : c.channels) {
      LinkedHashSet<Client> s = channelSubscribers.get(ch);
      if (s != null && s.remove(c) && s.isEmpty()) channelSubscribers.remove(ch);
    }
    for (Bytes p : c.patterns) {
      LinkedHashSet<Client> s = patternSubscribers.get(p);
      if (s != null && s.remove(c) && s.isEmpty()) patternSubscribers.remove(p);
    }
    c.channels.clear();
    c.patterns.clear();
  }

  /** PUBLISH: delivers to channel subscribers, then to pattern subscribers; returns the number of receivers. */
  public int publish(byte[] channel, byte[] message) {
    int receivers = 0;
    LinkedHashSet<Client> subs = channelSubscribers.get(Bytes.wrap(channel));
    if (subs != null) {
      for (Client s : subs) {
        s.out.push(3).bulk("message").bulk(channel).bulk(message);
        s.markPendingFlush();
        receivers++;
      }
    }
    for (Map.Entry<Bytes, LinkedHashSet<Client>> e : patternSubscribers.entrySet()) {
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

  public Set<Bytes> channels() {
    return channelSubscribers.keySet();
  }

  public int channelSubscriberCount(Bytes channel) {
    LinkedHashSet<Client> s = channelSubscribers.get(channel);
    return s == null ? 0 : s.size();
  }

  public int patternCount() {
    return patternSubscribers.size();
  }
}
