package dev.vireo.persistence;

import dev.vireo.persistence.rdb.RdbException;
import dev.vireo.persistence.rdb.RdbReader;
import dev.vireo.persistence.rdb.RdbValue;
import dev.vireo.persistence.rdb.RdbVisitor;
import dev.vireo.server.Server;
import dev.vireo.util.Delays;
import dev.vireo.store.Db;
import dev.vireo.store.Entry;
import dev.vireo.store.Keyspace;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Loads an RDB into the keyspace without blocking the data loop: a worker thread parses it and hands the keys
 * over in batches, which the data loop inserts between the commands it keeps serving. At most two batches are in
 * flight, so parsing and inserting overlap while memory stays bounded. The source is a file (startup, a replica
 * with {@code repl-diskless-load disabled}) or a stream (a replica parsing its master's snapshot as it arrives
 * on the socket); both go through the same parse and the same batches.
 */
public final class RdbLoader {
  private static final int BATCH = 4096;
  private static final int IN_FLIGHT = 2;

  /**
   * Keys inserted, keys skipped because their TTL had passed, the file's {@code AUX} fields (names to values,
   * integers as their decimal text), and the RDB's length in bytes (up to and including its checksum: what follows,
   * in an AOF base file with the RDB preamble, is commands).
   */
  public record Result(long loaded, long expired, Map<String, String> aux, List<byte[]> functions, long bytes) {
    /** An {@code AUX} field, or null. */
    public String aux(String name) {
      return aux.get(name);
    }
  }

  private record Loaded(int db, byte[] key, RdbValue value, long expireAt) {}

  /** Told, on the data loop, of each key left out because its TTL had passed: its database and name. */
  @FunctionalInterface
  public interface ExpiredKeys {
    void dropped(int db, byte[] key);

    ExpiredKeys IGNORE = (db, key) -> {};
  }

  private RdbLoader() {}

  /**
   * Loads {@code file} into the (already emptied) keyspace. {@code dropExpired}: skip keys whose TTL has passed
   * (a master loading its own file; a replica keeps them for its master's DEL). {@code wanted} is checked on the
   * data loop before each batch: when it turns false (the load was abandoned) the remaining keys are dropped.
   * Completes on the data loop; fails on a corrupt file or a duplicated key.
   */
  public static Future<Result> load(Server server, Vertx vertx, Context dataLoop, Path file, boolean dropExpired,
      BooleanSupplier wanted) {
    return load(server, server.keyspace(), vertx, dataLoop, file, dropExpired, wanted);
  }

  /**
   * The same, telling {@code expired} of each key dropped because its TTL had passed (a master feeds their DELs to
   * its replication stream).
   */
  public static Future<Result> load(Server server, Vertx vertx, Context dataLoop, Path file, boolean dropExpired,
      ExpiredKeys expired, BooleanSupplier wanted) {
    return load(server, server.keyspace(), vertx, dataLoop, () -> Files.newInputStream(file), dropExpired, expired,
        wanted);
  }

  /** The same, into {@code target}: the node's keyspace, or a detached one that is swapped in afterwards. */
  public static Future<Result> load(Server server, Keyspace target, Vertx vertx, Context dataLoop, Path file,
      boolean dropExpired, BooleanSupplier wanted) {
    return load(server, target, vertx, dataLoop, () -> Files.newInputStream(file), dropExpired, wanted);
  }

  /**
   * The same, from a stream opened (and closed) on the worker thread: the stream may block while it waits for
   * bytes, which only holds the worker up.
   */
  public static Future<Result> load(Server server, Keyspace target, Vertx vertx, Context dataLoop, Source source,
      boolean dropExpired, BooleanSupplier wanted) {
    return load(server, target, vertx, dataLoop, source, dropExpired, ExpiredKeys.IGNORE, wanted);
  }

  private static Future<Result> load(Server server, Keyspace target, Vertx vertx, Context dataLoop, Source source,
      boolean dropExpired, ExpiredKeys expired, BooleanSupplier wanted) {
    long[] counts = {0, 0}; // touched on the data loop only
    Map<String, String> aux = new ConcurrentHashMap<>();
    List<byte[]> functions = new CopyOnWriteArrayList<>();
    long[] bytes = {0};
    return vertx.<Void>executeBlocking(() -> {
      Semaphore slots = new Semaphore(IN_FLIGHT);
      AtomicReference<RuntimeException> failure = new AtomicReference<>();
      // each full batch, and the last one, goes to the data loop; at most IN_FLIGHT wait there at a time
      Sink hand = keys -> {
        acquire(slots, 1, failure);
        dataLoop.runOnContext(v -> {
          try {
            if (failure.get() == null && wanted.getAsBoolean()) {
              insert(server, target, keys, dropExpired, expired, counts);
            }
          } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
          } finally {
            slots.release();
          }
        });
      };
      bytes[0] = read(source, aux, functions, BATCH, hand, server.config.getInt("key-load-delay"));
      acquire(slots, IN_FLIGHT, failure); // every batch inserted
      return null;
    }, false).map(v -> new Result(counts[0], counts[1], Map.copyOf(aux), List.copyOf(functions), bytes[0]));
  }

  /** Loads {@code file} on the calling thread, which must be the data loop (DEBUG RELOAD). */
  public static Result loadNow(Server server, Path file, boolean dropExpired) throws IOException {
    long[] counts = {0, 0};
    Map<String, String> aux = new HashMap<>();
    List<Loaded> all = new ArrayList<>();
    List<byte[]> functions = new ArrayList<>();
    long bytes = read(() -> Files.newInputStream(file), aux, functions, Integer.MAX_VALUE, all::addAll,
        server.config.getInt("key-load-delay"));
    insert(server, server.keyspace(), all, dropExpired, ExpiredKeys.IGNORE, counts);
    return new Result(counts[0], counts[1], Map.copyOf(aux), List.copyOf(functions), bytes);
  }

  /** Where the RDB's bytes come from: a file, or the bytes of a transfer as they arrive. */
  @FunctionalInterface
  public interface Source {
    InputStream open() throws IOException;
  }

  /** Receives the keys of a file, batch by batch; a batch is the receiver's to keep. */
  private interface Sink {
    void accept(List<Loaded> keys) throws RdbException;
  }

  /**
   * Parses {@code source}: aux fields into {@code aux}, keys to {@code sink} in batches of {@code batchSize}, with
   * {@code key-load-delay} microseconds per key. Returns the RDB's length in bytes.
   */
  private static long read(Source source, Map<String, String> aux, List<byte[]> functions, int batchSize, Sink sink,
      int keyDelay) throws IOException {
    var pending = new Object() {
      List<Loaded> batch = new ArrayList<>();
    };
    RdbReader reader;
    try (InputStream in = new BufferedInputStream(source.open(), 1 << 16)) {
      reader = new RdbReader(in);
      reader.read(new RdbVisitor() {
        @Override
        public void aux(String name, byte[] value) {
          aux.put(name, new String(value, StandardCharsets.UTF_8));
        }

        @Override
        public void function(byte[] code) {
          functions.add(code);
        }

        @Override
        public void key(int db, byte[] key, RdbValue value, long expireAtMillis) throws RdbException {
          Delays.perKey(keyDelay);
          pending.batch.add(new Loaded(db, key, value, expireAtMillis));
          if (pending.batch.size() >= batchSize) {
            sink.accept(pending.batch);
            pending.batch = new ArrayList<>();
          }
        }
      });
    }
    if (!pending.batch.isEmpty()) sink.accept(pending.batch);
    return reader.offset();
  }

  private static void acquire(Semaphore slots, int n, AtomicReference<RuntimeException> failure)
      throws RdbException {
    try {
      if (!slots.tryAcquire(n, 60, TimeUnit.SECONDS)) throw new RdbException("the data loop did not take the keys");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RdbException("interrupted while loading");
    }
    if (failure.get() != null) throw new RdbException(String.valueOf(failure.get().getMessage()));
  }

  private static void insert(Server server, Keyspace ks, List<Loaded> keys, boolean dropExpired,
      ExpiredKeys expired, long[] counts) {
    long now = ks.tick();
    for (Loaded k : keys) {
      if (k.db() < 0 || k.db() >= ks.databases()) {
        throw new IllegalStateException("the file uses database " + k.db() + " but databases is "
            + ks.databases());
      }
      if (dropExpired && k.expireAt() >= 0 && k.expireAt() <= now) {
        counts[1]++;
        expired.dropped(k.db(), k.key());
        continue;
      }
      Db db = ks.db(k.db());
      if (db.peek(k.key()) != null) {
        throw new IllegalStateException("duplicate key '" + new String(k.key()) + "' in database " + k.db());
      }
      Object value;
      try {
        value = RdbValues.fromRdb(k.value(), server.encodingLimits);
      } catch (IllegalArgumentException bad) {
        throw new IllegalStateException("key '" + new String(k.key()) + "' in database " + k.db() + " is not a valid "
            + k.value().typeName() + ": " + bad.getMessage());
      }
      Entry e = db.addLoaded(k.key(), value); // loading publishes no "new" event, as in Redis
      if (k.expireAt() >= 0) db.setExpire(e, k.expireAt());
      counts[0]++;
    }
  }
}
