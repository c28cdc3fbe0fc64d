package dev.vireo.store;

import java.util.Arrays;
import java.util.TreeMap;

/**
 * A consumer group: the last ID delivered, the logical count of entries read (-1 when unknown), the pending
 * entries list (delivered, not yet acknowledged) and the consumers, each with its own view of the pending entries
 * it owns. Groups and consumers are ordered by name bytes, as Redis's radix trees order them.
 */
public final class StreamGroup {
  /** Redis's marker for an unknown entries-read counter. */
  public static final long UNKNOWN_READ = -1;

  /** One pending entry: who holds it, when it was last delivered (unix ms), how many times. */
  public static final class Nack {
    public Consumer consumer;
    public long deliveryTime;
    public long deliveryCount;

    public Nack(Consumer consumer, long deliveryTime, long deliveryCount) {
      this.consumer = consumer;
      this.deliveryTime = deliveryTime;
      this.deliveryCount = deliveryCount;
    }
  }

  /** A consumer: its name, when it was last seen (unix ms), and the pending entries it owns. */
  public static final class Consumer {
    public final byte[] name;
    public long seenTime;
    public final TreeMap<StreamId, Nack> pending = new TreeMap<>();

    public Consumer(byte[] name, long seenTime) {
      this.name = name;
      this.seenTime = seenTime;
    }
  }

  public final byte[] name;
  public StreamId lastId;
  public long entriesRead;
  public final TreeMap<StreamId, Nack> pending = new TreeMap<>();
  public final TreeMap<byte[], Consumer> consumers = new TreeMap<>(Arrays::compareUnsigned);

  public StreamGroup(byte[] name, StreamId lastId, long entriesRead) {
    this.name = name;
    this.lastId = lastId;
    this.entriesRead = entriesRead;
  }

  public Consumer consumer(byte[] name) {
    return consumers.get(name);
  }

  /** Adds a consumer (the caller has checked it is new). */
  public Consumer addConsumer(byte[] name, long now) {
    Consumer c = new Consumer(name, now);
    consumers.put(name, c);
    return c;
  }

  /** Removes a consumer and its pending entries from the group; returns how many were pending. */
  public int removeConsumer(Consumer c) {
    int n = c.pending.size();
    for (StreamId id : c.pending.keySet()) pending.remove(id);
    consumers.remove(c.name);
    return n;
  }

  /** Acknowledges one entry; true when it was pending. */
  public boolean ack(StreamId id) {
    Nack n = pending.remove(id);
    if (n == null) return false;
    n.consumer.pending.remove(id);
    return true;
  }

  /** Delivers (or re-delivers) an entry to a consumer: a new pending entry, or one moved to it. */
  public Nack deliver(StreamId id, Consumer to, long now) {
    Nack n = pending.get(id);
    if (n == null) {
      n = new Nack(to, now, 1);
      pending.put(id, n);
    } else {
      n.consumer.pending.remove(id);
      n.consumer = to;
      n.deliveryTime = now;
      n.deliveryCount = 1;
    }
    to.pending.put(id, n);
    return n;
  }

  /** Gives a pending entry to a consumer (a FORCE-created entry has no owner yet). */
  public void moveTo(StreamId id, Nack nack, Consumer to) {
    if (nack.consumer == to) return;
    if (nack.consumer != null) nack.consumer.pending.remove(id);
    to.pending.put(id, nack);
    nack.consumer = to;
  }

  StreamGroup copy() {
    StreamGroup g = new StreamGroup(name, lastId, entriesRead);
    for (Consumer c : consumers.values()) {
      Consumer d = g.addConsumer(c.name, c.seenTime);
      for (var e : c.pending.entrySet()) {
        Nack n = new Nack(d, e.getValue().deliveryTime, e.getValue().deliveryCount);
        d.pending.put(e.getKey(), n);
        g.pending.put(e.getKey(), n);
      }
    }
    return g;
  }
}
