package dev.vireo.server;

import java.util.Map;
import java.util.TreeMap;

/** The counters INFO stats reports; updated on the data loop only. */
public final class Stats {
  public long connectionsReceived;
  public long rejectedConnections;
  public long commandsProcessed;
  public long netInputBytes;
  public long netOutputBytes;
  public long readsProcessed;
  public long writesProcessed;
  public long errorReplies;
  public long expireCycleMillis;
  /** Scripts that ran past busy-reply-threshold (busy mode entered), and those SCRIPT KILL stopped. */
  public long busyScripts;
  public long killedScripts;
  /** Clients disconnected by maxmemory-clients (evicted_clients). */
  public long evictedClients;
  /** errorstat_<CODE>:count=N */
  public final Map<String, Long> errorCodes = new TreeMap<>();

  // instantaneous_* metrics: samples taken by the cron, averaged over the last 16.
  private final long[][] samples = new long[3][16];
  private int sampleIdx;
  private long lastSampleMillis = System.currentTimeMillis();
  private long lastCommands;
  private long lastIn;
  private long lastOut;

  void sample(long nowMillis) {
    long dt = nowMillis - lastSampleMillis;
    if (dt < 100) return;
    samples[0][sampleIdx] = (commandsProcessed - lastCommands) * 1000 / dt;
    samples[1][sampleIdx] = (netInputBytes - lastIn) * 1000 / dt;
    samples[2][sampleIdx] = (netOutputBytes - lastOut) * 1000 / dt;
    sampleIdx = (sampleIdx + 1) & 15;
    lastSampleMillis = nowMillis;
    lastCommands = commandsProcessed;
    lastIn = netInputBytes;
    lastOut = netOutputBytes;
  }

  private long avg(int metric) {
    long s = 0;
    for (long v : samples[metric]) s += v;
    return s / 16;
  }

  public long opsPerSec() {
    return avg(0);
  }

  public double inputKbps() {
    return avg(1) / 1024.0;
  }

  public double outputKbps() {
    return avg(2) / 1024.0;
  }

  void recordError(String code) {
    errorReplies++;
    errorCodes.merge(code, 1L, Long::sum);
  }

  public void resetAll() {
    connectionsReceived = rejectedConnections = commandsProcessed = 0;
    netInputBytes = netOutputBytes = readsProcessed = writesProcessed = errorReplies = expireCycleMillis = 0;
    evictedClients = 0;
    errorCodes.clear();
  }
}
