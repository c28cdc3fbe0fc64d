package dev.vireo.command;

import com.sun.management.OperatingSystemMXBean;
import dev.vireo.util.Version;
import dev.vireo.server.CommandSpec;
import dev.vireo.server.ScriptInfo;
import dev.vireo.server.Memory;
import dev.vireo.server.Server;
import dev.vireo.store.Db;
import dev.vireo.store.Keyspace;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The text of INFO [section ...], with Redis 7.0's section and field names, in Redis's order. */
public final class Info {
  private Info() {}

  static final String[] DEFAULT = {
    "server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules", "errorstats",
    "cluster", "keyspace"
  };
  static final String[] ALL = {
    "server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules", "commandstats",
    "errorstats", "latencystats", "cluster", "keyspace"
  };

  /** Builds the INFO text for the requested section names (already lower-case); empty = default. */
  public static String build(Node n, Set<String> requested) {
    Set<String> sections = new TreeSet<>();
    if (requested.isEmpty() || requested.contains("default")) sections.addAll(Set.of(DEFAULT));
    if (requested.contains("all") || requested.contains("everything")) sections.addAll(Set.of(ALL));
    sections.addAll(requested);
    StringBuilder sb = new StringBuilder();
    for (String name : ALL) {
      if (!sections.contains(name)) continue;
      if (sb.length() > 0) sb.append("\r\n");
      section(n, name, sb);
    }
    return sb.toString();
  }

  private static void section(Node n, String name, StringBuilder sb) {
    Server s = n.server();
    switch (name) {
      case "server" -> server(s, sb);
      case "clients" -> clients(s, sb);
      case "memory" -> memory(n, sb);
      case "persistence" -> persistence(n, sb);
      case "stats" -> stats(n, sb);
      case "replication" -> replication(n, sb);
      case "cpu" -> cpu(sb);
      case "modules" -> sb.append("# Modules\r\n");
      case "commandstats" -> commandstats(s, sb);
      case "errorstats" -> errorstats(s, sb);
      case "latencystats" -> latencystats(s, sb);
      case "cluster" -> sb.append("# Cluster\r\ncluster_enabled:0\r\n");
      case "keyspace" -> keyspace(s, sb);
      default -> { }
    }
  }

  private static void f(StringBuilder sb, String k, Object v) {
    sb.append(k).append(':').append(v).append("\r\n");
  }

  private static void server(Server s, StringBuilder sb) {
    long now = System.currentTimeMillis();
    long up = (now - s.startMillis) / 1000;
    sb.append("# Server\r\n");
    f(sb, "redis_version", Version.REDIS_COMPAT);
    f(sb, "redis_git_sha1", "00000000");
    f(sb, "redis_git_dirty", 0);
    f(sb, "redis_build_id", "0");
    f(sb, "redis_mode", "standalone");
    f(sb, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch"));
    f(sb, "arch_bits", 64);
    f(sb, "monotonic_clock", "POSIX clock_gettime");
    f(sb, "multiplexing_api", "epoll");
    f(sb, "atomicvar_api", "c11-builtin");
    f(sb, "gcc_version", "0.0.0");
    f(sb, "process_id", ProcessHandle.current().pid());
    f(sb, "process_supervised", "no");
    f(sb, "run_id", s.runId);
    f(sb, "tcp_port", s.port());
    f(sb, "server_time_usec", now * 1000);
    f(sb, "uptime_in_seconds", up);
    f(sb, "uptime_in_days", up / 86400);
    f(sb, "hz", s.config.get("hz"));
    f(sb, "configured_hz", s.config.get("hz"));
    f(sb, "lru_clock", (now / 1000) & ((1 << 24) - 1));
    f(sb, "executable", ProcessHandle.current().info().command().orElse(""));
    f(sb, "config_file", s.configFileName());
    f(sb, "io_threads_active", 0);
    if (s.shutdownWait.inProgress()) f(sb, "shutdown_in_milliseconds", s.shutdownWait.remainingMillis());
    f(sb, "vireo_version", Version.VIREO);
    f(sb, "java_version", System.getProperty("java.version"));
  }

  private static void clients(Server s, StringBuilder sb) {
    sb.append("# Clients\r\n");
    f(sb, "connected_clients", s.clients.count());
    f(sb, "cluster_connections", 0);
    f(sb, "maxclients", s.config.get("maxclients"));
    f(sb, "client_recent_max_input_buffer", s.clients.maxQueryBuffer());
    f(sb, "client_recent_max_output_buffer", s.clients.maxOutputBuffer());
    f(sb, "blocked_clients", s.blocking.blockedClients() + s.pause.postponedCount());
    f(sb, "tracking_clients", s.tracking.clients());
    f(sb, "clients_in_timeout_table", 0);
  }

  static String human(long bytes) {
    if (bytes < 1024) return bytes + "B";
    String[] units = {"K", "M", "G", "T", "P"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.2f%s", v, units[u]);
  }

  static long rss() {
    try {
      String statm = Files.readString(Path.of("/proc/self/statm")).trim();
      return Long.parseLong(statm.split(" ")[1]) * 4096;
    } catch (Exception e) {
      return 0;
    }
  }

  private static void memory(Node n, StringBuilder sb) {
    Server s = n.server();
    Memory m = s.memory;
    Runtime rt = Runtime.getRuntime();
    long used = m.used();
    long rss = rss();
    long peak = m.peak();
    long total = 0;
    try {
      total = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
          .getTotalMemorySize();
    } catch (Throwable ignored) {
      // not a HotSpot-like VM
    }
    long maxmemory = m.maxmemory();
    long dataset = m.dataset();
    long startup = Memory.STARTUP;
    long heapUsed = rt.totalMemory() - rt.freeMemory();
    long heap = rt.totalMemory();
    sb.append("# Memory\r\n");
    f(sb, "used_memory", used);
    f(sb, "used_memory_human", human(used));
    f(sb, "used_memory_rss", rss);
    f(sb, "used_memory_rss_human", human(rss));
    f(sb, "used_memory_peak", peak);
    f(sb, "used_memory_peak_human", human(peak));
    f(sb, "used_memory_peak_perc", pct(peak == 0 ? 0 : used * 100.0 / peak));
    f(sb, "used_memory_overhead", used - dataset);
    f(sb, "used_memory_startup", startup);
    f(sb, "used_memory_dataset", dataset);
    f(sb, "used_memory_dataset_perc", pct(used <= startup ? 0 : dataset * 100.0 / (used - startup)));
    f(sb, "allocator_allocated", heapUsed);
    f(sb, "allocator_active", heap);
    f(sb, "allocator_resident", rss);
    f(sb, "total_system_memory", total);
    f(sb, "total_system_memory_human", human(total));
    ScriptInfo scripts = n.server().scriptInfo();
    long vmEval = scripts.vmMemory();
    long scriptsEval = scripts.scriptsMemory();
    f(sb, "used_memory_lua", vmEval);
    f(sb, "used_memory_vm_eval", vmEval);
    f(sb, "used_memory_lua_human", human(vmEval));
    f(sb, "used_memory_scripts_eval", scriptsEval);
    f(sb, "number_of_cached_scripts", scripts.cachedScripts());
    f(sb, "number_of_functions", scripts.functions());
    f(sb, "number_of_libraries", scripts.libraries());
    f(sb, "used_memory_vm_functions", 0);
    f(sb, "used_memory_vm_total", vmEval);
    f(sb, "used_memory_vm_total_human", human(vmEval));
    f(sb, "used_memory_functions", 0);
    f(sb, "used_memory_scripts", scriptsEval);
    f(sb, "used_memory_scripts_human", human(scriptsEval));
    f(sb, "maxmemory", maxmemory);
    f(sb, "maxmemory_human", human(maxmemory));
    f(sb, "maxmemory_policy", s.config.get("maxmemory-policy"));
    f(sb, "allocator_frag_ratio", ratio(heap, heapUsed));
    f(sb, "allocator_frag_bytes", heap - heapUsed);
    f(sb, "allocator_rss_ratio", ratio(rss, heap));
    f(sb, "allocator_rss_bytes", rss - heap);
    f(sb, "rss_overhead_ratio", ratio(rss, rss));
    f(sb, "rss_overhead_bytes", 0);
    f(sb, "mem_fragmentation_ratio", ratio(rss, used));
    f(sb, "mem_fragmentation_bytes", rss - used);
    long backlog = n.master().backlogBytes();
    long replicaBuffers = n.master().replicaBufferBytes();
    f(sb, "mem_not_counted_for_evict", m.notCountedForEvict());
    f(sb, "mem_replication_backlog", backlog);
    f(sb, "mem_total_replication_buffers", backlog + replicaBuffers);
    // as Redis 7.0: the replicas' part of the shared replication buffer (beyond the backlog), not their connections
    f(sb, "mem_clients_slaves", replicaBuffers);
    f(sb, "mem_clients_normal", s.clients.memClientsNormal());
    f(sb, "mem_cluster_links", 0);
    f(sb, "mem_aof_buffer", 0);
    f(sb, "mem_allocator", "jvm");
    f(sb, "active_defrag_running", 0);
    f(sb, "lazyfree_pending_objects", 0);
    f(sb, "lazyfreed_objects", 0);
    // the JVM that holds the data, beside the model's figures
    f(sb, "jvm_heap_used", heapUsed);
    f(sb, "jvm_heap_committed", heap);
    f(sb, "jvm_heap_max", rt.maxMemory());
    f(sb, "jvm_heap_max_human", human(rt.maxMemory()));
    long gcCount = 0;
    long gcMillis = 0;
    for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcCount += Math.max(0, g.getCollectionCount());
      gcMillis += Math.max(0, g.getCollectionTime());
    }
    f(sb, "jvm_gc_collections", gcCount);
    f(sb, "jvm_gc_time_ms", gcMillis);
  }

  private static String pct(double v) {
    return String.format(Locale.ROOT, "%.2f%%", v);
  }

  private static String ratio(long a, long b) {
    return String.format(Locale.ROOT, "%.2f", b == 0 ? 0 : (double) a / b);
  }

  private static void persistence(Node n, StringBuilder sb) {
    Server s = n.server();
    sb.append("# Persistence\r\n");
    n.persistence().info((k, v) -> f(sb, k, v));
    n.aof().info(sb);
    f(sb, "module_fork_in_progress", 0);
    f(sb, "module_fork_last_cow_size", 0);
    n.aof().infoWhenOn(sb);
  }

  private static void stats(Node n, StringBuilder sb) {
    Server s = n.server();
    var st = s.stats;
    Keyspace ks = s.keyspace();
    sb.append("# Stats\r\n");
    f(sb, "total_connections_received", st.connectionsReceived);
    f(sb, "total_commands_processed", st.commandsProcessed);
    f(sb, "instantaneous_ops_per_sec", st.opsPerSec());
    f(sb, "total_net_input_bytes", st.netInputBytes);
    f(sb, "total_net_output_bytes", st.netOutputBytes);
    f(sb, "total_net_repl_input_bytes", 0);
    f(sb, "total_net_repl_output_bytes", 0);
    f(sb, "instantaneous_input_kbps", String.format(Locale.ROOT, "%.2f", st.inputKbps()));
    f(sb, "instantaneous_output_kbps", String.format(Locale.ROOT, "%.2f", st.outputKbps()));
    f(sb, "instantaneous_input_repl_kbps", "0.00");
    f(sb, "instantaneous_output_repl_kbps", "0.00");
    f(sb, "rejected_connections", st.rejectedConnections);
    f(sb, "sync_full", n.master().syncFull);
    f(sb, "sync_partial_ok", n.master().syncPartialOk);
    f(sb, "sync_partial_err", n.master().syncPartialErr);
    f(sb, "expired_keys", ks.expiredKeys());
    f(sb, "expired_stale_perc", "0.00");
    f(sb, "expired_time_cap_reached_count", 0);
    f(sb, "expire_cycle_cpu_milliseconds", st.expireCycleMillis);
    f(sb, "evicted_keys", s.memory.evictedKeys());
    f(sb, "evicted_clients", st.evictedClients);
    f(sb, "total_eviction_exceeded_time", s.memory.evictionMicros() / 1000);
    f(sb, "current_eviction_exceeded_time", 0);
    f(sb, "keyspace_hits", ks.hits());
    f(sb, "keyspace_misses", ks.misses());
    f(sb, "pubsub_channels", s.pubsub.channels().size());
    f(sb, "pubsub_patterns", s.pubsub.patternCount());
    f(sb, "pubsubshard_channels", s.pubsub.shardChannels().size());
    f(sb, "latest_fork_usec", n.persistence().latestForkMicros());
    f(sb, "total_forks", n.persistence().totalForks());
    f(sb, "migrate_cached_sockets", 0);
    f(sb, "slave_expires_tracked_keys", ks.replicaExpiresTracked());
    f(sb, "active_defrag_hits", 0);
    f(sb, "active_defrag_misses", 0);
    f(sb, "active_defrag_key_hits", 0);
    f(sb, "active_defrag_key_misses", 0);
    f(sb, "total_active_defrag_time", 0);
    f(sb, "current_active_defrag_time", 0);
    f(sb, "tracking_total_keys", s.tracking.totalKeys());
    f(sb, "tracking_total_items", s.tracking.totalItems());
    f(sb, "tracking_total_prefixes", s.tracking.totalPrefixes());
    f(sb, "unexpected_error_replies", 0);
    f(sb, "total_error_replies", st.errorReplies);
    f(sb, "dump_payload_sanitizations", 0);
    f(sb, "total_reads_processed", st.readsProcessed);
    f(sb, "total_writes_processed", st.writesProcessed);
    f(sb, "io_threaded_reads_processed", 0);
    f(sb, "io_threaded_writes_processed", 0);
    f(sb, "reply_buffer_shrinks", 0);
    f(sb, "reply_buffer_expands", 0);
    // Vireo's own: scripts that went past busy-reply-threshold, and those SCRIPT KILL stopped
    f(sb, "busy_scripts", st.busyScripts);
    f(sb, "killed_scripts", st.killedScripts);
  }

  private static void replication(Node n, StringBuilder sb) {
    Server s = n.server();
    sb.append("# Replication\r\n");
    if (n.replica().isReplica()) n.replica().info((k, v) -> f(sb, k, v));
    else f(sb, "role", "master");
    n.master().info((k, v) -> f(sb, k, v));
  }

  private static void cpu(StringBuilder sb) {
    double user = 0;
    double sys = 0;
    try {
      var bean = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      double total = bean.getProcessCpuTime() / 1e9;
      // The JVM reports user+system together; /proc gives the split.
      String[] stat = Files.readString(Path.of("/proc/self/stat")).split(" ");
      user = Long.parseLong(stat[13]) / 100.0;
      sys = Long.parseLong(stat[14]) / 100.0;
      if (user + sys == 0) user = total;
    } catch (Throwable ignored) {
      // not on Linux
    }
    sb.append("# CPU\r\n");
    f(sb, "used_cpu_sys", String.format(Locale.ROOT, "%.6f", sys));
    f(sb, "used_cpu_user", String.format(Locale.ROOT, "%.6f", user));
    f(sb, "used_cpu_sys_children", "0.000000");
    f(sb, "used_cpu_user_children", "0.000000");
    f(sb, "used_cpu_sys_main_thread", String.format(Locale.ROOT, "%.6f", sys));
    f(sb, "used_cpu_user_main_thread", String.format(Locale.ROOT, "%.6f", user));
  }

  private static void commandstats(Server s, StringBuilder sb) {
    sb.append("# Commandstats\r\n");
    for (CommandSpec c : s.table().all()) {
      statLine(sb, c);
      for (CommandSpec sub : c.subcommands().values()) statLine(sb, sub);
    }
  }

  private static void statLine(StringBuilder sb, CommandSpec c) {
    if (c.calls == 0 && c.rejectedCalls == 0 && c.failedCalls == 0) return;
    sb.append("cmdstat_").append(c.fullName).append(":calls=").append(c.calls).append(",usec=").append(c.micros)
        .append(",usec_per_call=")
        .append(String.format(Locale.ROOT, "%.2f", c.calls == 0 ? 0 : (double) c.micros / c.calls))
        .append(",rejected_calls=").append(c.rejectedCalls).append(",failed_calls=").append(c.failedCalls)
        .append("\r\n");
  }

  private static void latencystats(Server s, StringBuilder sb) {
    sb.append("# Latencystats\r\n");
    String configured = s.config.get("latency-tracking-info-percentiles");
    String[] percentiles = configured.isEmpty() ? new String[0] : configured.split(" ");
    for (CommandSpec c : s.table().all()) {
      latencyLine(sb, c, percentiles);
      for (CommandSpec sub : c.subcommands().values()) latencyLine(sb, sub, percentiles);
    }
  }

  /** One command's line, a {@code p<percentile>=<usec>} per configured percentile (kept as the config spells it). */
  private static void latencyLine(StringBuilder sb, CommandSpec c, String[] percentiles) {
    if (c.latency.count() == 0) return;
    sb.append("latency_percentiles_usec_").append(c.fullName).append(':');
    for (int i = 0; i < percentiles.length; i++) {
      if (i > 0) sb.append(',');
      sb.append('p').append(percentiles[i]).append('=').append(String.format(Locale.ROOT, "%.3f",
          c.latency.percentile(Double.parseDouble(percentiles[i])) / 1000.0));
    }
    sb.append("\r\n");
  }

  private static void errorstats(Server s, StringBuilder sb) {
    sb.append("# Errorstats\r\n");
    for (Map.Entry<String, Long> e : s.stats.errorCodes.entrySet()) {
      sb.append("errorstat_").append(e.getKey()).append(":count=").append(e.getValue()).append("\r\n");
    }
  }

  private static void keyspace(Server s, StringBuilder sb) {
    sb.append("# Keyspace\r\n");
    Keyspace ks = s.keyspace();
    for (int i = 0; i < ks.databases(); i++) {
      Db d = ks.db(i);
      if (d.size() == 0) continue;
      sb.append("db").append(i).append(":keys=").append(d.size()).append(",expires=").append(d.expiresCount())
          .append(",avg_ttl=0\r\n");
    }
  }
}
