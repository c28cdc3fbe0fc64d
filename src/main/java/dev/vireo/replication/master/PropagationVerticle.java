package dev.vireo.replication.master;

import dev.vireo.util.Log;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fan-out of the replication stream, on an event loop of its own: the data loop hands it the encoded writes of
 * one loop turn as one {@code Buffer}, with the offset they reach and the online replicas to send them to ({@link
 * Fanout}); this verticle writes the same bytes to each replica's socket and counts down each replica's pending
 * bytes as Netty sends them. Measured on two cores with three replicas attached, taking the writes off the data loop
 * raised its throughput by about a third (README, Benchmark).
 *
 * <p>Order: an online replica receives only stream bytes, and all of them through this verticle, one message after
 * the other as the data loop sent them; what a replica is sent before it is online (the {@code +FULLRESYNC} or
 * {@code +CONTINUE} line, the RDB, the backlog, the stream held during its sync) is written by the data loop before
 * its first fan-out message exists.
 */
final class PropagationVerticle extends VerticleBase {
  /** One replica's connection and its count of bytes handed over and not yet sent (client-output-buffer-limit). */
  record Target(NetSocket socket, AtomicLong queued) {}

  /** The writes of one loop turn, the master offset after them, and the replicas that get them. */
  record Fanout(Buffer bytes, long offset, List<Target> targets) {}

  private final String address;
  private final Log log;
  private MessageConsumer<Fanout> consumer;
  /** The master offset the last batch reached: each batch must reach further, or the stream is out of order. */
  private long sentOffset = -1;

  PropagationVerticle(String address, Log log) {
    this.address = address;
    this.log = log;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().localConsumer(address, this::send);
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    return consumer.unregister();
  }

  private void send(Message<Fanout> m) {
    Fanout f = m.body();
    if (f.offset() <= sentOffset) {
      log.warn("Replication fan-out out of order: offset " + f.offset() + " after " + sentOffset);
    }
    sentOffset = f.offset();
    long len = f.bytes().length();
    for (Target t : f.targets()) {
      try {
        t.socket().write(f.bytes()).onComplete(ar -> t.queued().addAndGet(-len));
      } catch (IllegalStateException closed) {
        t.queued().addAndGet(-len); // the replica went meanwhile; the data loop forgets it on its close
      }
    }
  }
}
