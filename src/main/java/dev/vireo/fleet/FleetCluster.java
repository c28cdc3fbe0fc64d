package dev.vireo.fleet;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.vireo.config.ServerConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The fleet's clustered Vert.x instance and its Hazelcast member, apart from the node's own Vert.x: its own event
 * loop and workers, so nothing the cluster does (joining, a partition, a slow member) runs on the node's threads.
 * Only this class names Hazelcast: a node with {@code fleet no} never loads it.
 */
final class FleetCluster {
  private final ServerConfig config;
  private HazelcastClusterManager manager;

  FleetCluster(ServerConfig config) {
    this.config = config;
  }

  /** Builds the clustered instance and joins the fleet. */
  Future<Vertx> start() {
    manager = new HazelcastClusterManager(hazelcast(config));
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2);
    options.getEventBusOptions().setHost(bindAddress(config)).setPort(0);
    return Vertx.builder().with(options).withClusterManager(manager).buildClustered();
  }

  /** The members the cluster manager knows now, this node included. */
  int members() {
    return manager == null ? 0 : manager.getNodes().size();
  }

  /** Vert.x's Hazelcast settings, joined by TCP to fleet-members on fleet-bind:fleet-port, named fleet-name. */
  static Config hazelcast(ServerConfig config) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(config.get("fleet-name"));
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.logging.type", "jdk");
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    hz.setProperty("hazelcast.socket.bind.any", "false");
    // a fleet forms in seconds, and members started together that formed apart merge soon after, not in 5 min
    hz.setProperty("hazelcast.wait.seconds.before.join", "1");
    hz.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    hz.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    // a member that stops answering leaves the cluster within seconds
    hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    NetworkConfig net = hz.getNetworkConfig();
    net.setPort(fleetPort(config)).setPortAutoIncrement(false);
    // Hazelcast's interfaces are addresses: a host name (a container's) is resolved first
    String bind = bindAddress(config);
    net.getInterfaces().setEnabled(true).addInterface(bind);
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    List<String> members = new ArrayList<>();
    members.add(bind + ":" + fleetPort(config));
    for (String m : config.get("fleet-members").split(",")) {
      if (!m.isBlank()) members.add(m.trim());
    }
    join.getTcpIpConfig().setEnabled(true).setMembers(members).setConnectionTimeoutSeconds(2);
    return hz;
  }

  /** fleet-bind as an address: a host name is resolved, an unresolvable one is kept (joining then fails). */
  static String bindAddress(ServerConfig config) {
    String bind = config.get("fleet-bind");
    try {
      return InetAddress.getByName(bind).getHostAddress();
    } catch (UnknownHostException e) {
      return bind;
    }
  }

  /** fleet-port, or the RESP port + 20000 when it is 0. */
  static int fleetPort(ServerConfig config) {
    int p = config.getInt("fleet-port");
    return p != 0 ? p : config.getInt("port") + 20000;
  }
}
