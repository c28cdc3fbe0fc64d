package dev.vireo.server;

import dev.vireo.config.ServerConfig;
import dev.vireo.store.Db;
import dev.vireo.store.Entry;
import dev.vireo.store.EvictionPool;
import dev.vireo.store.EvictionPool.Policy;
import dev.vireo.store.Keyspace;
import dev.vireo.store.MemoryModel;
import java.util.function.LongSupplier;

/**
 * {@code used_memory} and {@code maxmemory}. The figure is the memory model's ({@link dev.vireo.store.MemoryModel}):
 * the keys and values as Redis 7.0 would lay them out, the databases' tables, client buffers, the replication
 * backlog and replicas' output, plus the fixed structures of a node. It is kept up to date as keys change (each
 * write accounts for its keys again), so it follows the data and never the garbage collector, and eviction can
 * rely on it. Eviction runs before each command, as Redis's {@code performEvictions}: under the chosen policy keys
 * go until the memory counted for eviction is below {@code maxmemory}, each deletion reaching replicas and the AOF
 * as a DEL (UNLINK with {@code lazyfree-lazy-eviction}). Data loop only.
 */
public final class Memory {
  /**
   * The node's fixed structures before any key, client or backlog: the shared objects, the command table and the
   * empty databases, taken at Redis 7.0's own figure ({@code used_memory_startup}) so that both servers' numbers
   * compare.
   */
  public static final long STARTUP = 876_144;

  /** What an eviction pass ended with. */
  public enum Result {
    /** Below maxmemory (or no limit). */
    OK,
    /** The time budget ran out with more to free: the cron goes on. */
    RUNNING,
    /** Nothing more may be evicted: writes that add memory are refused with -OOM. */
    FAIL
  }

  private final Server server;
  private final Keyspace keyspace;
  private final EvictionPool pool = new EvictionPool();
  private long maxmemory;
  private Policy policy;
  private int samples;
  private int tenacity;
  private boolean lazy;
  private boolean replicaIgnores;
  private long peak;
  private long evictedKeys;
  private long evictionNanos;
  private long evictionStartedNanos;
  private boolean running;
  private LongSupplier clients = () -> 0;
  private Keyspace.KeyListener evictedListener = (db, key) -> {};

  Memory(Server server) {
    this.server = server;
    this.keyspace = server.keyspace();
    ServerConfig config = server.config;
    Runnable read = () -> {
      maxmemory = config.getLong("maxmemory");
      policy = Policy.of(config.get("maxmemory-policy"));
      samples = config.getInt("maxmemory-samples");
      tenacity = config.getInt("maxmemory-eviction-tenacity");
      lazy = config.getBool("lazyfree-lazy-eviction");
      replicaIgnores = config.getBool("replica-ignore-maxmemory");
      keyspace.accessTracking(policy.lfu(), config.getInt("lfu-log-factor"), config.getInt("lfu-decay-time"));
    };
    read.run();
    for (String name : new String[] {"maxmemory", "maxmemory-policy", "maxmemory-samples",
        "maxmemory-eviction-tenacity", "lazyfree-lazy-eviction", "replica-ignore-maxmemory", "lfu-log-factor",
        "lfu-decay-time"}) {
      config.onChange(name, v -> read.run());
    }
    warnWhenTheHeapIsSmall();
    config.onChange("maxmemory", v -> {
      warnWhenTheHeapIsSmall();
      long used = used();
      if (maxmemory > 0 && used > maxmemory) {
        server.log.warn("WARNING: the new maxmemory value set via CONFIG SET (" + maxmemory + ") is smaller than "
            + "the current memory usage (" + used + "). This will result in key eviction and/or the inability to "
            + "accept new write commands depending on the maxmemory-policy.");
        running = true; // the cron starts evicting now, not at the next command
      }
    });
  }

  /**
   * A maxmemory the JVM's heap cannot hold: the heap takes a little more than used_memory counts (about 1.1-1.3
   * times, by type) and its collector needs room, so below 1.5 times maxmemory the node could run out of heap before
   * eviction starts. bin/vireo sizes the heap at twice maxmemory plus 256 MB.
   */
  private void warnWhenTheHeapIsSmall() {
    long heap = Runtime.getRuntime().maxMemory();
    if (maxmemory > 0 && heap != Long.MAX_VALUE && heap < maxmemory + maxmemory / 2) {
      server.log.warn("WARNING: maxmemory (" + maxmemory + " bytes) is more than the JVM heap can hold (at most "
          + heap + " bytes, and the data takes a little more heap than used_memory counts). Start the node with "
          + "-Xmx of at least " + (maxmemory + maxmemory / 2) + " bytes (bin/vireo sizes it from maxmemory).");
    }
  }

  /** Where the clients' buffers are summed (the client registry). */
  public void clientsSource(LongSupplier s) {
    clients = s;
  }

  /** Told about each evicted key, after it is gone (keyspace notifications). */
  public void evictedListener(Keyspace.KeyListener l) {
    evictedListener = l;
  }

  /** {@code used_memory}. */
  public long used() {
    Propagation p = server.propagation();
    long backlog = p == null ? 0 : p.backlogBytes() + p.replicaBufferBytes();
    long used = STARTUP + keyspace.datasetBytes() + keyspace.tablesOverhead() + clients.getAsLong() + backlog;
    if (used > peak) peak = used;
    return used;
  }

  /** {@code used_memory_dataset}: the keys' names and values. */
  public long dataset() {
    return keyspace.datasetBytes();
  }

  public long peak() {
    used();
    return peak;
  }

  public void resetPeak() {
    peak = 0;
    used();
  }

  /** {@code mem_not_counted_for_evict}: replicas' output (and the AOF buffer), which eviction cannot shrink. */
  public long notCountedForEvict() {
    Propagation p = server.propagation();
    return p == null ? 0 : p.replicaBufferBytes();
  }

  public long evictedKeys() {
    return evictedKeys;
  }

  public long evictionMicros() {
    return evictionNanos / 1000;
  }

  public void resetStats() {
    evictedKeys = 0;
    evictionNanos = 0;
  }

  public long maxmemory() {
    return maxmemory;
  }

  public Policy policy() {
    return policy;
  }

  /** True while a pass ran out of its time budget and the cron carries on. */
  public boolean evicting() {
    return running;
  }

  /** True when maxmemory is set and this node enforces it (a replica does not, unless replica-ignore-maxmemory no). */
  public boolean enforced() {
    return maxmemory > 0 && !(replicaIgnores && server.replicaRole() != null && server.replicaRole().isReplica());
  }

  /** The memory eviction works on: used_memory less what it cannot free; 0 when below maxmemory. */
  private long excess() {
    long used = used();
    if (used <= maxmemory) return 0;
    long counted = used - notCountedForEvict();
    return counted <= maxmemory ? 0 : counted - maxmemory;
  }

  /**
   * Evicts until below maxmemory, within the time {@code maxmemory-eviction-tenacity} allows (its default, 10,
   * allows 500 µs; 100 has no limit). Called before every command while maxmemory is set, and by the cron while a
   * pass is unfinished.
   */
  public Result evict() {
    // a paused node keeps its dataset still: nothing is evicted, and nothing refused for memory meanwhile
    if (!enforced() || server.pause.paused()) {
      running = false;
      return Result.OK;
    }
    long toFree = excess();
    if (toFree == 0) {
      running = false;
      return Result.OK;
    }
    if (policy == Policy.NOEVICTION) {
      running = false;
      return Result.FAIL;
    }
    long start = System.nanoTime();
    if (!running) evictionStartedNanos = start;
    long limit = timeLimitNanos();
    long freed = 0;
    int keys = 0;
    Result result = Result.OK;
    while (freed < toFree) {
      EvictionPool.Victim v = pool.next(keyspace, policy, samples);
      if (v == null) {
        result = Result.FAIL;
        break;
      }
      // what the key held: its name and value, its table entry, and its entry among the keys with a TTL
      Entry e = v.entry();
      freed += e.memory() + MemoryModel.DICT_ENTRY + (e.hasTtl() ? MemoryModel.DICT_ENTRY : 0);
      delete(v.db(), e);
      evictedKeys++;
      if (++keys % 16 == 0) {
        if (excess() == 0) break;
        if (System.nanoTime() - start > limit) {
          result = Result.RUNNING;
          break;
        }
      }
    }
    running = result == Result.RUNNING;
    if (!running) evictionNanos += System.nanoTime() - evictionStartedNanos;
    return result;
  }

  private void delete(Db db, Entry e) {
    byte[] key = e.key();
    db.remove(e);
    server.dispatcher.propagateDeletion(db.index, key, lazy);
    evictedListener.key(db, key);
  }

  private long timeLimitNanos() {
    if (tenacity <= 10) return 50_000L * tenacity;
    if (tenacity < 100) return (long) (500_000 * Math.pow(1.15, tenacity - 10));
    return Long.MAX_VALUE;
  }

  /** After FLUSHALL or a full sync's load the pooled candidates are stale. */
  public void forgetCandidates() {
    pool.clear();
  }
}
