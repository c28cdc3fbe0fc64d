package dev.vireo.replication.master;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * The fan-out of the replication stream, on an event loop of its own. The data loop feeds the stream into the
 * shared replication buffer ({@link Backlog}) and tells this verticle, once per loop turn, that it moved ({@link
 * Fed}); this verticle then writes each streaming replica's part of it to its socket, as slices of the shared
 * blocks (views, no copy per replica), while the socket's write queue has room. A replica that reads nothing fills
 * its queue and is left alone: it keeps only its reference into the buffer, and resumes when its socket drains
 * ({@link Drained}). Measured on two cores with three replicas attached, taking the writes off the data loop
 * raised its throughput by about a third (README, Benchmark).
 *
 * <p>Order: a replica is handed to this verticle ({@link Start}) once everything the data loop writes to it
 * directly (the {@code +FULLRESYNC} or {@code +CONTINUE} line, the RDB) is written; from then on only this verticle
 * writes to it, in stream order.
 */
final class PropagationVerticle extends VerticleBase {
  /** A replica streamed from the shared buffer: its connection and its place in the buffer. */
  record Target(NetSocket socket, Backlog.Reader reader) {}

  /** A replica to stream to, from its reader's place on. */
  record Start(Target target) {}

  /** The stream moved on to {@code offset}: every replica gets what it lacks. */
  record Fed(long offset) {}

  /** A replica's socket has room again. */
  record Drained(Target target) {}

  private final String address;
  private MessageConsumer<Object> consumer;
  private final List<Target> targets = new ArrayList<>();

  PropagationVerticle(String address) {
    this.address = address;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().localConsumer(address, this::receive);
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    return consumer.unregister();
  }

  private void receive(Message<Object> m) {
    Object body = m.body();
    if (body instanceof Start s) {
      targets.add(s.target());
      pump(s.target());
    } else if (body instanceof Fed) {
      for (Target t : new ArrayList<>(targets)) pump(t);
    } else if (body instanceof Drained d) {
      pump(d.target());
    } else {
      throw new IllegalArgumentException("unexpected fan-out message " + body);
    }
  }

  /** Hands the replica's socket the bytes it lacks, one slice after the other, until its write queue is full. */
  private void pump(Target t) {
    Backlog.Reader r = t.reader();
    if (r.released()) {
      targets.remove(t);
      return;
    }
    NetSocket s = t.socket();
    try {
      while (!s.writeQueueFull()) {
        Backlog.Slice slice = r.next();
        if (slice == null) return;
        s.write(slice.bytes()).onComplete(ar -> {
          if (ar.succeeded()) r.written(slice);
        });
      }
    } catch (IllegalStateException closed) {
      targets.remove(t); // the replica went meanwhile; the data loop releases its reader on its close
    }
  }
}
