package dev.vireo.config;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The node's configuration: redis.conf syntax plus {@code --name value} flags, and the CONFIG GET/SET registry.
 * Read and written on the data loop only. (Skeleton: the full implementation lives in this package.)
 */
public final class ServerConfig {
  private final Map<String, String> values = new java.util.HashMap<>(Map.of(
      "port", "6379", "bind", "127.0.0.1", "databases", "16", "requirepass", "",
      "proto-max-bulk-len", "536870912", "client-query-buffer-limit", "1073741824",
      "http-port", "16379", "http-bind", "127.0.0.1", "hz", "10"));
  {
    values.putAll(Map.of("slowlog-log-slower-than", "10000", "slowlog-max-len", "128", "maxclients", "10000",
        "active-expire-effort", "1", "loglevel", "notice", "maxmemory-policy", "noeviction", "maxmemory", "0",
        "repl-backlog-size", "1048576", "tcp-keepalive", "300", "tcp-backlog", "511"));
  }

  public static ServerConfig load(String[] args) throws ConfigException {
    ServerConfig c = new ServerConfig();
    for (int i = 0; i + 1 < args.length; i += 2) c.values.put(args[i].substring(2), args[i + 1]);
    return c;
  }

  public static ServerConfig defaults() {
    return new ServerConfig();
  }

  public String get(String name) {
    return values.get(name);
  }

  public int getInt(String name) {
    return Integer.parseInt(values.get(name));
  }

  public long getLong(String name) {
    return Long.parseLong(values.get(name));
  }

  public boolean getBool(String name) {
    return "yes".equals(values.get(name));
  }

  /** CONFIG SET of one or more pairs, all or nothing; null on success, else the error text (without "ERR "). */
  public String set(List<String[]> pairs) {
    for (String[] p : pairs) values.put(p[0], p[1]);
    return null;
  }

  /** CONFIG GET: every directive whose name (or alias) matches the glob, as name/value pairs. */
  public List<Map.Entry<String, String>> match(String glob) {
    return List.of();
  }

  public String rewrite() {
    return "The server is running without a config file";
  }

  public java.nio.file.Path configFile() {
    return null;
  }

  public void onChange(String name, Consumer<String> listener) {}
}
