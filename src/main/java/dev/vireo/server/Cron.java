package dev.vireo.server;

/**
 * Redis's {@code serverCron}: runs {@code hz} times a second on the data loop. Active expiry (time-bounded, as
 * {@code active-expire-effort} says), the instantaneous statistics, persistence's periodic work (save rules,
 * finished background saves), idle-client timeouts, MIGRATE's idle connections, and
 * the clients' memory (counted again, then client eviction).
 */
final class Cron {
  private final Server server;

  Cron(Server server) {
    this.server = server;
  }

  void run() {
    if (server.busy.active()) return; // a script holds the keyspace: no expiry, no save rules until it ends
    long t0 = System.nanoTime();
    if (server.memory.evicting()) server.memory.evict();
    server.keyspace().activeExpireCycle(server.config.getInt("hz"), server.config.getInt("active-expire-effort"));
    server.stats.expireCycleMillis += (System.nanoTime() - t0) / 1_000_000;
    server.blocking.serveReady(); // a blocked XREADGROUP whose stream expired gets its error now
    long now = System.currentTimeMillis();
    server.stats.sample(now);
    server.snapshots().cron();
    server.appendOnly().cron();
    server.clients.closeIdle(now);
    server.migrateSockets.closeIdle(now);
    server.clients.cronMemory(now);
    server.shutdownWait.cron();
  }
}
