package dev.vireo.observability.metrics;

import dev.vireo.util.InfoText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an {@code INFO everything} text says, as Prometheus series under redis_exporter's names and labels, so
 * dashboards and alerts written for redis_exporter (Grafana dashboard 763, the redis-mixin) work unchanged; plus
 * Vireo's own replication figures that INFO holds ({@code vireo_*}).
 *
 * <p>A pure function of the text: {@link #from(InfoText, long)} returns the series of one scrape. Fields not
 * listed here are not exported, as with redis_exporter.
 */
final class RedisInfoMetrics {
  private RedisInfoMetrics() {}

  enum Kind { GAUGE, COUNTER }

  /** One series: name as exposed, label pairs in order, value. */
  record Series(String name, Kind kind, Map<String, String> labels, double value, String help) {}

  /** An {@code _info} series (value 1): its name without the {@code _info} suffix, and its labels. */
  record InfoSeries(String baseName, Map<String, String> labels, String help) {}

  /** The series of one scrape. */
  record Snapshot(List<Series> series, List<InfoSeries> infos) {}

  private record Mapping(String name, String help) {}

  /** Plain INFO fields exported as gauges: field -> redis_exporter's name (without {@code redis_}). */
  private static final Map<String, Mapping> GAUGES = new LinkedHashMap<>();
  /** Plain INFO fields exported as counters. */
  private static final Map<String, Mapping> COUNTERS = new LinkedHashMap<>();

  private static void gauge(String field, String name, String help) {
    GAUGES.put(field, new Mapping(name, help));
  }

  private static void counter(String field, String name, String help) {
    COUNTERS.put(field, new Mapping(name, help));
  }

  static {
    // Server
    gauge("uptime_in_seconds", "uptime_in_seconds", "Seconds since the node started");
    gauge("process_id", "process_id", "Process id of the node");
    gauge("hz", "hz", "Frequency of background tasks (hz)");
    gauge("configured_hz", "configured_hz", "Configured frequency of background tasks");
    // Clients
    gauge("connected_clients", "connected_clients", "Client connections (replicas excluded)");
    gauge("blocked_clients", "blocked_clients", "Clients blocked in a blocking command");
    gauge("tracking_clients", "tracking_clients", "Clients with tracking on");
    gauge("maxclients", "config_maxclients", "The maxclients setting");
    gauge("client_recent_max_input_buffer", "client_recent_max_input_buffer_bytes",
        "Largest recent client query buffer");
    gauge("client_recent_max_output_buffer", "client_recent_max_output_buffer_bytes",
        "Largest recent client output buffer");
    // Memory
    gauge("used_memory", "memory_used_bytes", "Memory used by the dataset and the node");
    gauge("used_memory_rss", "memory_used_rss_bytes", "Resident set size of the process");
    gauge("used_memory_peak", "memory_used_peak_bytes", "Peak of used_memory");
    gauge("used_memory_overhead", "memory_used_overhead_bytes", "Memory used for internal structures");
    gauge("used_memory_startup", "memory_used_startup_bytes", "Memory used at startup");
    gauge("used_memory_dataset", "memory_used_dataset_bytes", "Memory used by the dataset");
    gauge("used_memory_lua", "memory_used_lua_bytes", "Memory used by the Lua engine");
    gauge("used_memory_scripts", "memory_used_scripts_bytes", "Memory used by cached scripts");
    gauge("maxmemory", "memory_max_bytes", "The maxmemory setting");
    gauge("total_system_memory", "total_system_memory_bytes", "Memory of the host");
    gauge("mem_fragmentation_ratio", "mem_fragmentation_ratio", "used_memory_rss / used_memory");
    gauge("mem_fragmentation_bytes", "mem_fragmentation_bytes", "used_memory_rss - used_memory");
    gauge("mem_clients_slaves", "mem_clients_slaves", "Memory used by replica connections");
    gauge("mem_clients_normal", "mem_clients_normal", "Memory used by normal client connections");
    // Persistence
    gauge("loading", "loading_dump_file", "1 while a dataset is being loaded");
    gauge("rdb_changes_since_last_save", "rdb_changes_since_last_save", "Writes since the last save");
    gauge("rdb_bgsave_in_progress", "rdb_bgsave_in_progress", "1 while a BGSAVE runs");
    gauge("rdb_last_save_time", "rdb_last_save_timestamp_seconds", "Unix time of the last successful save");
    gauge("rdb_last_bgsave_status", "rdb_last_bgsave_status", "1 when the last BGSAVE succeeded");
    gauge("rdb_last_bgsave_time_sec", "rdb_last_bgsave_duration_sec", "Duration of the last BGSAVE");
    gauge("rdb_current_bgsave_time_sec", "rdb_current_bgsave_duration_sec", "Duration of the running BGSAVE");
    gauge("aof_enabled", "aof_enabled", "1 when AOF is on");
    // Stats
    gauge("pubsub_channels", "pubsub_channels", "Channels with subscribers");
    gauge("pubsub_patterns", "pubsub_patterns", "Patterns with subscribers");
    gauge("latest_fork_usec", "latest_fork_usec", "Duration of the latest fork");
    gauge("expired_stale_perc", "expired_stale_percentage", "Estimated share of logically expired keys");
    gauge("sync_full", "replica_resyncs_full", "Full resynchronizations served to replicas");
    gauge("sync_partial_ok", "replica_partial_resync_accepted", "Partial resynchronizations accepted");
    gauge("sync_partial_err", "replica_partial_resync_denied", "Partial resynchronizations denied");
    // Replication
    gauge("connected_slaves", "connected_slaves", "Replicas connected to this node");
    gauge("master_repl_offset", "master_repl_offset", "Replication offset of this node's history");
    gauge("second_repl_offset", "second_repl_offset", "Offset up to which replid2 is valid");
    gauge("repl_backlog_size", "replication_backlog_bytes", "Configured size of the replication backlog");
    gauge("repl_backlog_active", "repl_backlog_is_active", "1 when the backlog exists");
    gauge("repl_backlog_first_byte_offset", "repl_backlog_first_byte_offset", "First offset in the backlog");
    gauge("repl_backlog_histlen", "repl_backlog_history_bytes", "Bytes of history in the backlog");
    gauge("slave_priority", "slave_priority", "The replica-priority setting");

    counter("total_connections_received", "connections_received_total", "Connections accepted");
    counter("total_commands_processed", "commands_processed_total", "Commands processed");
    counter("rejected_connections", "rejected_connections_total", "Connections refused (maxclients)");
    counter("total_net_input_bytes", "net_input_bytes_total", "Bytes read from the network");
    counter("total_net_output_bytes", "net_output_bytes_total", "Bytes written to the network");
    counter("expired_keys", "expired_keys_total", "Keys removed on expiry");
    counter("evicted_keys", "evicted_keys_total", "Keys evicted by maxmemory");
    counter("keyspace_hits", "keyspace_hits_total", "Successful key lookups");
    counter("busy_scripts", "busy_scripts_total", "Scripts that ran past busy-reply-threshold (Vireo)");
    counter("killed_scripts", "killed_scripts_total", "Scripts stopped by SCRIPT KILL (Vireo)");
    counter("keyspace_misses", "keyspace_misses_total", "Failed key lookups");
    counter("used_cpu_sys", "cpu_sys_seconds_total", "System CPU time");
    counter("used_cpu_user", "cpu_user_seconds_total", "User CPU time");
    counter("used_cpu_sys_children", "cpu_sys_children_seconds_total", "System CPU time of children");
    counter("used_cpu_user_children", "cpu_user_children_seconds_total", "User CPU time of children");
  }

  /** The labels of {@code redis_instance_info}, in redis_exporter's order. */
  private static final List<String> INSTANCE_LABELS = List.of("role", "redis_version", "redis_build_id",
      "redis_mode", "os", "maxmemory_policy", "tcp_port", "run_id", "process_id", "master_replid");

  /** Series of one scrape; {@code nowMillis} dates {@code redis_start_time_seconds}. */
  static Snapshot from(InfoText info, long nowMillis) {
    List<Series> out = new ArrayList<>();
    out.add(gauge("redis_up", Map.of(), 1, "1 when the node answered INFO for this scrape"));
    String masterHost = "";
    String masterPort = "";
    for (InfoText.Field f : info.fields()) {
      String key = f.key();
      String value = f.value();
      // master_host and master_port come before the link fields, which carry them as labels
      if (key.equals("master_host")) masterHost = value;
      if (key.equals("master_port")) masterPort = value;
      switch (f.section()) {
        case "Commandstats" -> {
          commandStat(key, value, out);
          continue;
        }
        case "Errorstats" -> {
          errorStat(key, value, out);
          continue;
        }
        case "Keyspace" -> {
          keyspace(key, value, out);
          continue;
        }
        case "Replication" -> {
          if (replication(key, value, masterHost, masterPort, out)) continue;
        }
        default -> { }
      }
      Mapping g = GAUGES.get(key);
      Mapping c = COUNTERS.get(key);
      Double v = InfoText.number(value);
      if (v == null) continue;
      if (g != null) out.add(gauge("redis_" + g.name(), Map.of(), v, g.help()));
      else if (c != null) out.add(counter("redis_" + c.name(), Map.of(), v, c.help()));
    }
    Double uptime = InfoText.number(info.get("uptime_in_seconds"));
    if (uptime != null) {
      out.add(gauge("redis_start_time_seconds", Map.of(), Math.floor(nowMillis / 1000.0) - uptime,
          "Unix time the node started"));
    }
    vireoReplication(info, out);

    List<InfoSeries> infos = new ArrayList<>();
    Map<String, String> instance = new LinkedHashMap<>();
    for (String label : INSTANCE_LABELS) {
      String v = info.get(label);
      instance.put(label, v == null ? "" : v);
    }
    infos.add(new InfoSeries("redis_instance", instance, "The node's role, version and identity"));
    if ("slave".equals(info.get("role"))) {
      Map<String, String> slave = new LinkedHashMap<>();
      slave.put("master_host", orEmpty(info.get("master_host")));
      slave.put("master_port", orEmpty(info.get("master_port")));
      slave.put("read_only", orEmpty(info.get("slave_read_only")));
      infos.add(new InfoSeries("redis_slave", slave, "The master this replica follows"));
    }
    return new Snapshot(out, infos);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  /** {@code cmdstat_get:calls=21,usec=175,usec_per_call=8.33,rejected_calls=0,failed_calls=0}. */
  private static void commandStat(String key, String value, List<Series> out) {
    if (!key.startsWith("cmdstat_")) return;
    Map<String, String> p = InfoText.pairs(value);
    if (p == null) return;
    Double calls = InfoText.number(p.get("calls"));
    Double usec = InfoText.number(p.get("usec"));
    if (calls == null || usec == null) return;
    Map<String, String> cmd = Map.of("cmd", key.substring("cmdstat_".length()));
    out.add(counter("redis_commands_total", cmd, calls, "Calls per command"));
    out.add(counter("redis_commands_duration_seconds_total", cmd, usec / 1e6, "Time spent per command"));
    Double rejected = InfoText.number(p.get("rejected_calls"));
    Double failed = InfoText.number(p.get("failed_calls"));
    if (rejected != null && failed != null) {
      out.add(counter("redis_commands_rejected_calls_total", cmd, rejected,
          "Calls refused before running (wrong arity, NOAUTH, ...)"));
      out.add(counter("redis_commands_failed_calls_total", cmd, failed, "Calls that ran and replied an error"));
    }
  }

  /** {@code errorstat_ERR:count=4}. */
  private static void errorStat(String key, String value, List<Series> out) {
    if (!key.startsWith("errorstat_")) return;
    Map<String, String> p = InfoText.pairs(value);
    Double count = p == null ? null : InfoText.number(p.get("count"));
    if (count == null) return;
    out.add(counter("redis_errors_total", Map.of("err", key.substring("errorstat_".length())), count,
        "Error replies by error prefix"));
  }

  /** {@code db0:keys=2,expires=1,avg_ttl=99235} (avg_ttl in milliseconds). */
  private static void keyspace(String key, String value, List<Series> out) {
    if (!key.startsWith("db")) return;
    Map<String, String> p = InfoText.pairs(value);
    if (p == null) return;
    Double keys = InfoText.number(p.get("keys"));
    Double expires = InfoText.number(p.get("expires"));
    if (keys == null || expires == null) return;
    Map<String, String> db = Map.of("db", key);
    out.add(gauge("redis_db_keys", db, keys, "Keys per database"));
    out.add(gauge("redis_db_keys_expiring", db, expires, "Keys with a TTL per database"));
    Double ttl = InfoText.number(p.get("avg_ttl"));
    if (ttl != null) out.add(gauge("redis_db_avg_ttl_seconds", db, ttl / 1000, "Average TTL per database"));
  }

  /**
   * The fields of INFO replication that redis_exporter labels: the link fields of a replica (with the master's
   * host and port) and the {@code slaveN} lines of a master. True when the field was handled.
   */
  private static boolean replication(String key, String value, String masterHost, String masterPort,
      List<Series> out) {
    Map<String, String> master = new LinkedHashMap<>();
    master.put("master_host", masterHost);
    master.put("master_port", masterPort);
    switch (key) {
      case "master_link_status" -> {
        out.add(gauge("redis_master_link_up", master, "up".equals(value) ? 1 : 0, "1 when the link to the master is up"));
        return true;
      }
      case "master_last_io_seconds_ago" -> {
        Double v = InfoText.number(value);
        if (v != null) out.add(gauge("redis_master_last_io_seconds_ago", master, v,
            "Seconds since the last interaction with the master (-1 when the link is down)"));
        return true;
      }
      case "master_sync_in_progress" -> {
        Double v = InfoText.number(value);
        if (v != null) out.add(gauge("redis_master_sync_in_progress", master, v,
            "1 while a full resynchronization from the master runs"));
        return true;
      }
      case "slave_repl_offset" -> {
        Double v = InfoText.number(value);
        if (v != null) out.add(gauge("redis_slave_repl_offset", master, v, "Replication offset of this replica"));
        return true;
      }
      default -> { }
    }
    if (!isSlaveLine(key)) return false;
    Replica r = Replica.parse(value);
    if (r == null) return true;
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("slave_ip", r.ip());
    labels.put("slave_port", r.port());
    labels.put("slave_state", r.state());
    out.add(gauge("redis_connected_slave_offset_bytes", labels, r.offset(),
        "Replication offset acknowledged by the replica"));
    if (r.lagSeconds() >= 0) {
      out.add(gauge("redis_connected_slave_lag_seconds", labels, r.lagSeconds(),
          "Seconds since the replica's last acknowledgement"));
    }
    return true;
  }

  private static boolean isSlaveLine(String key) {
    if (!key.startsWith("slave") || key.length() == 5) return false;
    for (int i = 5; i < key.length(); i++) {
      if (!Character.isDigit(key.charAt(i))) return false;
    }
    return true;
  }

  /** One {@code slaveN:ip=..,port=..,state=..,offset=..,lag=..} line of a master's INFO. */
  record Replica(String ip, String port, String state, double offset, double lagSeconds) {
    /** Null when the line is not such a list or has no numeric offset; lag -1 when absent. */
    static Replica parse(String value) {
      Map<String, String> p = InfoText.pairs(value);
      if (p == null) return null;
      Double offset = InfoText.number(p.get("offset"));
      if (offset == null) return null;
      Double lag = p.containsKey("lag") ? InfoText.number(p.get("lag")) : Double.valueOf(-1);
      if (lag == null) return null;
      return new Replica(orEmpty(p.get("ip")), orEmpty(p.get("port")), orEmpty(p.get("state")), offset, lag);
    }
  }

  /**
   * Vireo's own figures from INFO replication: how far a replica is from being in sync, and, on a master, each
   * replica's lag in bytes and in milliseconds.
   */
  private static void vireoReplication(InfoText info, List<Series> out) {
    if ("slave".equals(info.get("role"))) {
      boolean syncing = "1".equals(info.get("master_sync_in_progress"));
      double progress;
      if (syncing) {
        Double perc = InfoText.number(info.get("master_sync_perc"));
        progress = perc == null ? 0 : perc / 100;
        Double read = InfoText.number(info.get("master_sync_read_bytes"));
        Double total = InfoText.number(info.get("master_sync_total_bytes"));
        if (read != null) out.add(gauge("vireo_replication_sync_read_bytes", Map.of(), read,
            "Bytes of the master's RDB received so far in the running full resynchronization"));
        if (total != null) out.add(gauge("vireo_replication_sync_total_bytes", Map.of(), total,
            "Size of the master's RDB in the running full resynchronization (-1: streamed, size unknown)"));
      } else {
        progress = "up".equals(info.get("master_link_status")) ? 1 : 0;
      }
      out.add(gauge("vireo_replication_sync_progress_ratio", Map.of(), progress,
          "How far this replica is towards being in sync: the share of the RDB received while a full "
              + "resynchronization runs, 1 when the link is up, 0 when it is down"));
    }
    Double masterOffset = InfoText.number(info.get("master_repl_offset"));
    for (InfoText.Field f : info.fields()) {
      if (!f.section().equals("Replication") || !isSlaveLine(f.key())) continue;
      Replica r = Replica.parse(f.value());
      if (r == null) continue;
      Map<String, String> replica = Map.of("replica", r.ip() + ":" + r.port());
      if (masterOffset != null) {
        out.add(gauge("vireo_replica_lag_bytes", replica, Math.max(0, masterOffset - r.offset()),
            "Bytes of the replication stream the replica has not acknowledged yet"));
      }
      if (r.lagSeconds() >= 0) {
        out.add(gauge("vireo_replica_ack_lag_milliseconds", replica, r.lagSeconds() * 1000,
            "Time since the replica's last REPLCONF ACK, in milliseconds; from INFO's lag, which counts whole "
                + "seconds, so the value moves in steps of 1000"));
      }
    }
  }

  private static Series gauge(String name, Map<String, String> labels, double v, String help) {
    return new Series(name, Kind.GAUGE, labels, v, help);
  }

  private static Series counter(String name, Map<String, String> labels, double v, String help) {
    return new Series(name, Kind.COUNTER, labels, v, help);
  }
}
