package dev.vireo.command;

import static dev.vireo.server.CommandSpec.LOADING;
import static dev.vireo.server.CommandSpec.READONLY;
import static dev.vireo.server.CommandSpec.STALE;

import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.resp.Errors;
import dev.vireo.resp.RespWriter;
import dev.vireo.server.Client;
import dev.vireo.server.CommandTable;
import dev.vireo.server.Memory;
import dev.vireo.server.Server;
import dev.vireo.store.Db;
import dev.vireo.store.Entry;
import dev.vireo.store.Keyspace;
import dev.vireo.store.MemoryModel;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Locale;

/**
 * MEMORY USAGE|STATS|DOCTOR|MALLOC-STATS|PURGE|HELP. Sizes come from the memory model that {@code used_memory}
 * follows ({@link MemoryModel}): a key's figure is what Redis 7.0 would allocate for it, exactly (the model keeps
 * counters, so {@code SAMPLES} is accepted and never needed). MALLOC-STATS and DOCTOR speak of the JVM that really
 * holds the data: its heap, its pools and its collectors.
 */
final class MemoryCommands {
  private MemoryCommands() {}

  static void register(CommandTable t, Node n) {
    t.add("memory", -2, 0, 0, 0, 0, "server", "4.0.0", "A container for memory diagnostics commands.", null)
        .sub("usage", -3, READONLY, 2, 2, 1, "4.0.0", "Estimates the memory usage of a key.",
            MemoryCommands::usage)
        .sub("stats", 2, 0, 0, 0, 0, "4.0.0", "Returns details about memory usage.", (c, a) -> stats(n, c))
        .sub("doctor", 2, 0, 0, 0, 0, "4.0.0", "Outputs a memory problems report.", (c, a) -> doctor(n, c))
        .sub("malloc-stats", 2, 0, 0, 0, 0, "4.0.0", "Returns the allocator statistics.",
            (c, a) -> c.out.verbatim(mallocStats()))
        .sub("purge", 2, 0, 0, 0, 0, "4.0.0", "Asks the allocator to release memory.", (c, a) -> {
          System.gc(); // the JVM's way of handing freed pages back, where its collector can
          c.out.ok();
        })
        .sub("help", 2, LOADING | STALE, 0, 0, 0, "4.0.0", "Returns helpful text about the different subcommands.",
            (c, a) -> Help.reply(c, "MEMORY", List.of(
                "DOCTOR",
                "    Return memory problems reports.",
                "MALLOC-STATS",
                "    Return internal statistics report from the memory allocator.",
                "PURGE",
                "    Attempt to purge dirty pages for reclamation by the allocator.",
                "STATS",
                "    Return information about the memory usage of the server.",
                "USAGE <key> [SAMPLES <count>]",
                "    Return memory in bytes used by <key> and its value. Nested values are",
                "    sampled up to <count> times (default: 5, 0 means sample all).")));
  }

  /** MEMORY USAGE key [SAMPLES count]: the key's name, its table entry and its value; nil for a missing key. */
  static void usage(Client c, Args a) {
    for (int i = 3; i < a.count(); i++) {
      if (a.is(i, "samples") && i + 1 < a.count()) {
        long samples = a.longArg(++i);
        if (samples < 0) throw new CommandError(Errors.SYNTAX);
      } else {
        throw new CommandError(Errors.SYNTAX);
      }
    }
    Entry e = c.db.peek(a.bytes(2));
    if (e == null) {
      c.out.nullBulk();
      return;
    }
    c.out.integer(e.memory() + MemoryModel.DICT_ENTRY);
  }

  private static void stats(Node n, Client c) {
    Server s = n.server();
    Memory m = s.memory;
    Keyspace ks = s.keyspace();
    long used = m.used();
    long peak = m.peak();
    long dataset = m.dataset();
    long keys = ks.totalKeys();
    long backlog = s.propagation().backlogBytes();
    long replicas = s.propagation().replicaBufferBytes();
    long rss = Info.rss();
    int dbs = 0;
    for (int i = 0; i < ks.databases(); i++) if (ks.db(i).size() > 0) dbs++;
    c.out.map(27 + dbs); // Redis's 27 fields, and one map per database holding keys
    field(c, "peak.allocated").integer(peak);
    field(c, "total.allocated").integer(used);
    field(c, "startup.allocated").integer(Memory.STARTUP);
    field(c, "replication.backlog").integer(backlog);
    field(c, "clients.slaves").integer(replicas);
    field(c, "clients.normal").integer(s.clients.memClientsNormal());
    field(c, "cluster.links").integer(0);
    field(c, "aof.buffer").integer(0);
    field(c, "lua.caches").integer(s.scriptInfo().scriptsMemory());
    field(c, "functions.caches").integer(0);
    for (int i = 0; i < ks.databases(); i++) {
      Db db = ks.db(i);
      if (db.size() == 0) continue;
      field(c, "db." + i).map(3);
      field(c, "overhead.hashtable.main").integer(db.overhead() - db.expiresOverhead());
      field(c, "overhead.hashtable.expires").integer(db.expiresOverhead());
      field(c, "overhead.hashtable.slot-to-keys").integer(0);
    }
    field(c, "overhead.total").integer(used - dataset);
    field(c, "keys.count").integer(keys);
    field(c, "keys.bytes-per-key").integer(keys == 0 ? 0 : (used - Memory.STARTUP) / keys);
    field(c, "dataset.bytes").integer(dataset);
    field(c, "dataset.percentage").dbl(used <= Memory.STARTUP ? 0 : dataset * 100.0 / (used - Memory.STARTUP));
    field(c, "peak.percentage").dbl(peak == 0 ? 0 : used * 100.0 / peak);
    Runtime rt = Runtime.getRuntime();
    long heapUsed = rt.totalMemory() - rt.freeMemory();
    field(c, "allocator.allocated").integer(heapUsed);
    field(c, "allocator.active").integer(rt.totalMemory());
    field(c, "allocator.resident").integer(rss);
    field(c, "allocator-fragmentation.ratio").dbl(heapUsed == 0 ? 0 : (double) rt.totalMemory() / heapUsed);
    field(c, "allocator-fragmentation.bytes").integer(rt.totalMemory() - heapUsed);
    // the resident size is the process's: nothing lies between the allocator's and the process's
    field(c, "allocator-rss.ratio").dbl(rt.totalMemory() == 0 ? 0 : (double) rss / rt.totalMemory());
    field(c, "allocator-rss.bytes").integer(rss - rt.totalMemory());
    field(c, "rss-overhead.ratio").dbl(1);
    field(c, "rss-overhead.bytes").integer(0);
    field(c, "fragmentation").dbl(used == 0 ? 0 : (double) rss / used);
    field(c, "fragmentation.bytes").integer(rss - used);
  }

  private static RespWriter field(Client c, String name) {
    return c.out.bulk(name);
  }

  /**
   * MEMORY DOCTOR: Redis's reply for an instance too small to judge, and otherwise a report on what costs memory
   * here: the peak, the JVM's footprint beside the dataset, and how full maxmemory is.
   */
  private static void doctor(Node n, Client c) {
    Server s = n.server();
    Memory m = s.memory;
    long used = m.used();
    if (used < 5L * 1024 * 1024) {
      c.out.verbatim("Hi Sam, this instance is empty or is using very little memory, my issues detector can't be "
          + "used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new "
          + "Sam and I will be back to our programming as soon as I finished rebooting.");
      return;
    }
    StringBuilder sb = new StringBuilder();
    long peak = m.peak();
    long rss = Info.rss();
    if (peak > used * 3 / 2) {
      sb.append(String.format(Locale.ROOT, " * Peak memory: the node once used %s, %.0f%% more than the %s it uses "
          + "now. The process may still hold some of it.%n", Info.human(peak), (peak - used) * 100.0 / used,
          Info.human(used)));
    }
    if (rss > used * 2) {
      Runtime rt = Runtime.getRuntime();
      sb.append(String.format(Locale.ROOT, " * Process size: the RSS (%s) is %.2f times used_memory. The JVM holds "
          + "the data in a heap of %s (at most %s); its objects, headroom and code cost more than Redis's layout "
          + "of the same data. A smaller -Xmx, or maxmemory set, bounds it.%n", Info.human(rss),
          (double) rss / used, Info.human(rt.totalMemory()), Info.human(rt.maxMemory())));
    }
    if (m.maxmemory() > 0 && used > m.maxmemory() * 9 / 10) {
      sb.append(String.format(Locale.ROOT, " * maxmemory: %s of %s used, policy %s, %d keys evicted so far.%n",
          Info.human(used), Info.human(m.maxmemory()), s.config.get("maxmemory-policy"), m.evictedKeys()));
    }
    if (sb.length() == 0) {
      c.out.verbatim("Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs "
          + "on this base.");
      return;
    }
    c.out.verbatim("Sam, I detected a few issues in this node's memory:\n\n" + sb);
  }

  /** The JVM's allocator statistics: heap, non-heap, each memory pool and each collector. */
  private static String mallocStats() {
    StringBuilder sb = new StringBuilder("___ Begin JVM memory statistics ___\n");
    var mx = ManagementFactory.getMemoryMXBean();
    line(sb, "heap", mx.getHeapMemoryUsage());
    line(sb, "non-heap", mx.getNonHeapMemoryUsage());
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) line(sb, "pool " + p.getName(), p.getUsage());
    for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
      sb.append(String.format(Locale.ROOT, "gc %s: collections %d, time %d ms%n", g.getName(),
          g.getCollectionCount(), g.getCollectionTime()));
    }
    return sb.append("--- End JVM memory statistics ---\n").toString();
  }

  private static void line(StringBuilder sb, String name, MemoryUsage u) {
    if (u == null) return;
    sb.append(String.format(Locale.ROOT, "%s: used %d, committed %d, max %d%n", name, u.getUsed(),
        u.getCommitted(), u.getMax()));
  }
}
