/**
 * Configuration: redis.conf syntax and {@code --name value} flags ({@link dev.vireo.config.ServerConfig#load}),
 * the directive registry behind CONFIG GET/SET/REWRITE, and the exact fatal-error texts redis-server prints.
 *
 * <p>Owned by the data loop: it loads the configuration at startup and runs CONFIG SET and CONFIG REWRITE.
 * Values may be read from other threads (status page). Hot-path readers copy the values they need and learn
 * of changes through {@link dev.vireo.config.ServerConfig#onChange}.
 *
 * <p>Most of Redis 7.0's directives are accepted only so that a stock redis.conf loads and CONFIG GET answers
 * as Redis would. The ones the node acts on:
 * <ul>
 *   <li>read once at startup (immutable): {@code port}, {@code bind}, {@code http-port}, {@code http-bind},
 *       {@code eventbus-bridge-port},
 *       {@code tcp-backlog}, {@code databases}, {@code replicaof} (REPLICAOF updates it through
 *       {@link dev.vireo.config.ServerConfig#apply}), {@code logfile}, {@code pidfile};</li>
 *   <li>live through {@code onChange}: {@code requirepass}, {@code masterauth}, {@code masteruser},
 *       {@code protected-mode}, {@code timeout}, {@code tcp-keepalive}, {@code maxclients},
 *       {@code proto-max-bulk-len}, {@code client-query-buffer-limit}, {@code client-output-buffer-limit},
 *       {@code dir}, {@code dbfilename}, {@code save}, {@code rdbcompression}, {@code stop-writes-on-bgsave-error},
 *       {@code replica-read-only}, {@code replica-serve-stale-data}, {@code repl-backlog-size},
 *       {@code repl-backlog-ttl}, {@code repl-timeout}, {@code repl-ping-replica-period},
 *       {@code repl-diskless-sync}, {@code repl-diskless-sync-delay}, {@code repl-diskless-sync-max-replicas},
 *       {@code repl-diskless-load}, {@code repl-disable-tcp-nodelay}, {@code min-replicas-to-write},
 *       {@code min-replicas-max-lag}, {@code replica-announce-ip}, {@code replica-announce-port},
 *       {@code replica-priority}, {@code maxmemory}, {@code maxmemory-policy}, {@code hz}, {@code dynamic-hz},
 *       {@code active-expire-effort}, {@code slowlog-log-slower-than}, {@code slowlog-max-len},
 *       {@code latency-monitor-threshold}, {@code notify-keyspace-events}, {@code loglevel}, and the encoding
 *       thresholds ({@code *-max-listpack-*}, {@code set-max-intset-entries}, {@code list-compress-depth}).</li>
 * </ul>
 * {@code rename-command} and {@code user} lines are kept for the command table and ACLs
 * ({@link dev.vireo.config.ServerConfig#renamedCommands}, {@link dev.vireo.config.ServerConfig#userLines}).
 */
package dev.vireo.config;
