package dev.vireo.observability.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.config.ServerConfig;
import dev.vireo.testkit.Images;
import dev.vireo.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.yaml.snakeyaml.Yaml;

/**
 * The docker compose stack, the collector's configuration, Prometheus's and Grafana's provisioning are parsed and
 * checked against each other: every Vireo service is scraped at the HTTP port its command line sets, traces go
 * node -> collector -> Jaeger on the ports those listen on, Grafana's provisioning and dashboards are mounted where
 * it reads them, and the dashboards only query metrics a live Vireo node exports.
 */
@Timeout(120)
class StackConfigTest {
  private static final Path DOCKER = Path.of("docker");
  private static final Path COMPOSE = DOCKER.resolve("docker-compose.yml");

  private static Map<String, Map<String, Object>> services;
  /** Vireo services by name, with their parsed command line. */
  private static final Map<String, ServerConfig> nodes = new LinkedHashMap<>();

  @SuppressWarnings("unchecked")
  static <T> T yaml(Path file) {
    try (Reader r = Files.newBufferedReader(file)) {
      return (T) new Yaml().load(r);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }

  @SuppressWarnings("unchecked")
  static <T> T at(Object node, String... path) {
    Object cur = node;
    for (String key : path) {
      assertTrue(cur instanceof Map, "no map at " + key + " in " + String.join(".", path));
      cur = ((Map<String, Object>) cur).get(key);
      assertNotNull(cur, "missing " + String.join(".", path));
    }
    return (T) cur;
  }

  @SuppressWarnings("unchecked")
  static List<String> strings(Object list) {
    return ((List<Object>) list).stream().map(String::valueOf).toList();
  }

  @BeforeAll
  static void parse() throws Exception {
    services = at(yaml(COMPOSE), "services");
    Path dataDir = Files.createTempDirectory("vireo-compose-dir");
    try {
      for (var e : services.entrySet()) {
        Object build = e.getValue().get("build");
        if (build == null) continue;
        assertEquals("docker/Dockerfile", at(build, "dockerfile"), e.getKey());
        assertEquals("..", at(build, "context"), e.getKey());
        List<String> command = new ArrayList<>(strings(at(e.getValue(), "command")));
        // /data exists in the image (the vireo user's home); here the check needs a directory that exists
        int dir = command.indexOf("--dir");
        assertTrue(dir >= 0, e.getKey() + " sets its dir");
        assertEquals("/data", command.get(dir + 1));
        command.set(dir + 1, dataDir.toString());
        nodes.put(e.getKey(), ServerConfig.load(command.toArray(String[]::new)));
      }
    } finally {
      Files.delete(dataDir);
    }
    assertEquals(3, nodes.size(), "a master and two replicas: " + nodes.keySet());
  }

  static String serviceWithImage(String prefix) {
    List<String> found = services.entrySet().stream()
        .filter(e -> String.valueOf(e.getValue().get("image")).startsWith(prefix)).map(Map.Entry::getKey).toList();
    assertEquals(1, found.size(), "one service with image " + prefix + ": " + found);
    return found.get(0);
  }

  /** host path (resolved from the compose file's directory) -> container path, for a service's volumes. */
  static Map<String, Path> volumes(String service) {
    Map<String, Path> out = new LinkedHashMap<>();
    for (String v : strings(at(services.get(service), "volumes"))) {
      String[] parts = v.split(":");
      out.put(parts[1], DOCKER.resolve(parts[0]).normalize());
    }
    return out;
  }

  static Map<String, String> environment(String service) {
    Map<String, Object> env = at(services.get(service), "environment");
    Map<String, String> out = new LinkedHashMap<>();
    env.forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }

  static int port(String hostPort) {
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }

  @Test
  void aMasterAndTwoChainedReplicasListeningOnEveryInterface() {
    List<String> masters = new ArrayList<>();
    Map<String, String> follows = new LinkedHashMap<>();
    for (var e : nodes.entrySet()) {
      ServerConfig c = e.getValue();
      assertEquals("0.0.0.0", c.get("http-bind"), e.getKey() + ": HTTP must be reachable from other containers");
      assertEquals("0.0.0.0", c.get("bind"), e.getKey() + ": RESP must be reachable from other containers");
      assertTrue(c.getInt("http-port") > 0, e.getKey() + " serves HTTP");
      List<String> published = strings(at(services.get(e.getKey()), "ports"));
      Set<Integer> containerPorts = published.stream().map(StackConfigTest::port).collect(Collectors.toSet());
      assertTrue(containerPorts.containsAll(Set.of(c.getInt("port"), c.getInt("http-port"))),
          e.getKey() + " publishes its RESP and HTTP ports: " + published);
      String replicaOf = c.get("replicaof");
      if (replicaOf == null || replicaOf.isBlank()) {
        masters.add(e.getKey());
      } else {
        String[] hp = replicaOf.split(" ");
        assertTrue(nodes.containsKey(hp[0]), e.getKey() + " follows a Vireo service: " + replicaOf);
        assertEquals(nodes.get(hp[0]).getInt("port"), Integer.parseInt(hp[1]), e.getKey() + " uses its RESP port");
        follows.put(e.getKey(), hp[0]);
      }
    }
    assertEquals(1, masters.size(), "one master: " + masters);
    String master = masters.get(0);
    assertEquals(1, follows.values().stream().filter(master::equals).count(), "one replica of the master");
    String first = follows.entrySet().stream().filter(f -> f.getValue().equals(master)).findFirst().orElseThrow()
        .getKey();
    assertTrue(follows.containsValue(first), "the other replica is chained to " + first + ": " + follows);
  }

  @Test
  void prometheusScrapesEveryNodeAndTheCollector() {
    String prometheus = serviceWithImage("prom/prometheus:");
    List<String> command = strings(at(services.get(prometheus), "command"));
    String configPath = command.stream().filter(a -> a.startsWith("--config.file=")).findFirst().orElseThrow()
        .substring("--config.file=".length());
    Path config = volumes(prometheus).get(configPath);
    assertNotNull(config, "the config file is mounted at " + configPath);
    Map<String, Object> cfg = yaml(config);
    Map<String, Set<String>> targets = new LinkedHashMap<>();
    for (Object job : (List<?>) at(cfg, "scrape_configs")) {
      Set<String> t = new TreeSet<>();
      for (Object sc : (List<?>) at(job, "static_configs")) t.addAll(strings(at(sc, "targets")));
      targets.put(at(job, "job_name"), t);
    }
    Set<String> expected = nodes.entrySet().stream()
        .map(e -> e.getKey() + ":" + e.getValue().getInt("http-port")).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(expected, targets.get("vireo"), "each Vireo service at its http-port");
    Map<String, Object> vireoJob = ((List<Map<String, Object>>) (List<?>) at(cfg, "scrape_configs")).stream()
        .filter(j -> "vireo".equals(j.get("job_name"))).findFirst().orElseThrow();
    assertEquals("/metrics", vireoJob.getOrDefault("metrics_path", "/metrics"));

    String collector = serviceWithImage("otel/opentelemetry-collector-contrib:");
    Map<String, Object> otel = collectorConfig();
    int exporterPort = port(at(otel, "exporters", "prometheus", "endpoint"));
    assertEquals(Set.of(collector + ":" + exporterPort), targets.get("otel-collector"));
  }

  static Map<String, Object> collectorConfig() {
    String collector = serviceWithImage("otel/opentelemetry-collector-contrib:");
    String configPath = strings(at(services.get(collector), "command")).stream()
        .filter(a -> a.startsWith("--config=")).findFirst().orElseThrow().substring("--config=".length());
    Path file = volumes(collector).get(configPath);
    assertNotNull(file, "the collector's config is mounted at " + configPath);
    assertEquals(Path.of("otel", "otel-collector.yaml"), file);
    return yaml(file);
  }

  @Test
  void tracesGoFromTheNodesThroughTheCollectorToJaeger() {
    String collector = serviceWithImage("otel/opentelemetry-collector-contrib:");
    String jaeger = serviceWithImage("jaegertracing/jaeger:2.");
    assertEquals("0.0.0.0", environment(jaeger).get("JAEGER_LISTEN_HOST"), "Jaeger listens beyond loopback");
    assertEquals(Images.JAEGER, services.get(jaeger).get("image"),
        "the container test runs the stack's Jaeger");
    Map<String, Object> otel = collectorConfig();
    Map<String, Integer> receiverPorts = Map.of(
        "grpc", port(at(otel, "receivers", "otlp", "protocols", "grpc", "endpoint")),
        "http/protobuf", port(at(otel, "receivers", "otlp", "protocols", "http", "endpoint")));
    String grpcEndpoint = at(otel, "receivers", "otlp", "protocols", "grpc", "endpoint");
    assertTrue(grpcEndpoint.startsWith("0.0.0.0:"), "the collector's receiver listens beyond loopback");

    // the exporter that the traces pipeline uses points at Jaeger's OTLP gRPC port
    List<String> traceExporters = strings(at(otel, "service", "pipelines", "traces", "exporters"));
    assertTrue(strings(at(otel, "service", "pipelines", "traces", "receivers")).contains("otlp"));
    String toJaeger = traceExporters.stream().filter(x -> x.startsWith("otlp")).findFirst().orElseThrow();
    String endpoint = at(otel, "exporters", toJaeger, "endpoint");
    assertEquals(jaeger + ":4317", endpoint, "Jaeger v2 takes OTLP over gRPC on 4317");
    assertEquals(Boolean.TRUE, at(otel, "exporters", toJaeger, "tls", "insecure"));
    assertTrue(strings(at(otel, "service", "pipelines", "metrics", "exporters")).contains("prometheus"));
    assertTrue(strings(at(services.get(jaeger), "ports")).contains("16686:16686"), "Jaeger's UI on 16686");

    Set<String> serviceNames = new HashSet<>();
    for (String node : nodes.keySet()) {
      Map<String, String> env = environment(node);
      URI uri = URI.create(env.get("OTEL_EXPORTER_OTLP_ENDPOINT"));
      assertEquals(collector, uri.getHost(), node + " exports to the collector");
      String protocol = env.getOrDefault("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"); // the SDK default
      assertEquals(receiverPorts.get(protocol), uri.getPort(), node + ": the receiver port for " + protocol);
      assertTrue(serviceNames.add(env.get("OTEL_SERVICE_NAME")), "one service name per node in Jaeger");
      assertFalse(env.containsKey("OTEL_SDK_DISABLED"));
    }
  }

  @Test
  void grafanaReadsItsProvisioningAndTheDashboardsWhereTheyAreMounted() {
    String grafana = serviceWithImage("grafana/grafana:");
    Map<String, Path> mounts = volumes(grafana);
    Path datasources = mounts.get("/etc/grafana/provisioning/datasources");
    Path providers = mounts.get("/etc/grafana/provisioning/dashboards");
    assertEquals(Path.of("dashboards", "provisioning", "datasources"), datasources);
    assertEquals(Path.of("dashboards", "provisioning", "dashboards"), providers);

    Map<String, Map<String, Object>> byUid = new LinkedHashMap<>();
    for (Path f : yamlFiles(datasources)) {
      for (Object ds : (List<?>) at(yaml(f), "datasources")) byUid.put(at(ds, "uid"), (Map<String, Object>) ds);
    }
    String prometheus = serviceWithImage("prom/prometheus:");
    String jaeger = serviceWithImage("jaegertracing/jaeger:2.");
    assertEquals("http://" + prometheus + ":9090", byUid.get("prometheus").get("url"));
    assertTrue(strings(at(services.get(prometheus), "command")).stream()
        .noneMatch(a -> a.startsWith("--web.listen-address")), "Prometheus on its default 9090");
    assertEquals("http://" + jaeger + ":16686", byUid.get("jaeger").get("url"));

    Set<String> providerPaths = new TreeSet<>();
    for (Path f : yamlFiles(providers)) {
      for (Object p : (List<?>) at(yaml(f), "providers")) providerPaths.add(at(p, "options", "path"));
    }
    assertEquals(Set.of("/var/lib/grafana/dashboards/vireo"), providerPaths);
    Path dashboards = mounts.get("/var/lib/grafana/dashboards/vireo");
    assertEquals(DashboardQueries.DIR, dashboards, "the provider's path is where dashboards/json is mounted");
    assertFalse(DashboardQueries.files().isEmpty());

    String home = environment(grafana).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
    assertTrue(home.startsWith("/var/lib/grafana/dashboards/vireo/"), home);
    assertTrue(Files.isRegularFile(dashboards.resolve(home.substring(home.lastIndexOf('/') + 1))), home);

    // every panel's datasource is one that is provisioned
    for (Path f : DashboardQueries.files()) {
      JsonObject d = DashboardQueries.read(f);
      assertFalse(d.getString("uid", "").isEmpty(), f + " has a stable uid");
      for (Object p : d.getJsonArray("panels")) {
        JsonObject ds = ((JsonObject) p).getJsonObject("datasource");
        if (ds != null) assertTrue(byUid.containsKey(ds.getString("uid")), f + ": " + ds);
      }
    }
  }

  static List<Path> yamlFiles(Path dir) {
    try (var s = Files.list(dir)) {
      List<Path> out = s.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted()
          .toList();
      assertFalse(out.isEmpty(), "YAML files in " + dir);
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theImageShipsTheJarTheBuildMakes() throws IOException {
    String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
    assertTrue(dockerfile.contains("COPY --from=build /src/target/vireo.jar"), "the shaded jar (finalName vireo)");
    assertTrue(Files.readString(Path.of("pom.xml")).contains("<finalName>vireo</finalName>"));
    assertTrue(dockerfile.contains("--home-dir /data --create-home"), "the --dir the services use exists");
    // the image starts the node by the launcher, which finds the jar at ../target/vireo.jar from itself
    assertTrue(dockerfile.contains("COPY --from=build /src/target/vireo.jar /opt/vireo/target/vireo.jar"));
    assertTrue(dockerfile.contains("COPY bin/vireo /opt/vireo/bin/vireo"), "the launcher");
    assertTrue(dockerfile.contains("ENTRYPOINT [\"/opt/vireo/bin/vireo\"]"), "the launcher starts the node");
    String ignore = Files.readString(DOCKER.resolve("Dockerfile.dockerignore"));
    assertTrue(ignore.lines().anyMatch(l -> l.equals("!bin/vireo")), "the launcher is in the build context");
    assertTrue(dockerfile.lines().anyMatch(l -> l.startsWith("EXPOSE") && l.contains("6379") && l.contains("16379")));
  }

  /**
   * Every metric a dashboard queries is in a live scrape of the stack's topology: a Vireo master, its replica,
   * and a replica of that replica.
   */
  @Test
  void dashboardsQueryOnlyMetricsVireoExports() {
    Set<String> used = DashboardQueries.metricNames();
    assertTrue(used.contains("vireo_replication_handshake_step_seconds_bucket"), used::toString);
    assertTrue(used.contains("redis_up"), "the instance variable lists redis_up's instances");
    Set<String> scraped = new TreeSet<>();
    try (ChainedNodes chain = ChainedNodes.start()) {
      for (TestNode n : chain.all()) {
        // the per-replica series need the replica online and acknowledging; vertx_* count the previous scrape
        Scrape.until(n.httpPort(), "the node's series", s -> s.names().contains("redis_up"));
      }
      scraped.addAll(Scrape.until(chain.master.httpPort(), "the replica's lag",
          s -> s.names().contains("vireo_replica_ack_lag_milliseconds")).names());
      scraped.addAll(Scrape.of(chain.replica1.httpPort()).names());
      scraped.addAll(Scrape.of(chain.replica2.httpPort()).names());
    }
    Set<String> missing = new TreeSet<>(used);
    missing.removeAll(scraped);
    assertEquals(Set.of(), missing, "queried by a dashboard, absent from a live scrape");
  }

  @Test
  void metricNamesAreReadOutOfPromql() {
    assertEquals(Set.of("a_bucket"), DashboardQueries.metricNames(
        "histogram_quantile(0.95, sum by (le, step) (rate(a_bucket{instance=~\"$instance\",x=\"y z\"}[5m])))"));
    assertEquals(Set.of("x_sum", "x_count"), DashboardQueries.metricNames(
        "sum by (step) (increase(x_sum[$__range])) / sum without (step) (increase(x_count[$__rate_interval]))"));
    assertEquals(Set.of("redis_up"), DashboardQueries.metricNames("label_values(redis_up, instance)"));
    assertEquals(Set.of("s"), DashboardQueries.metricNames("s{a=\"b\"} == 1 and on (instance) s > 1e3"));
  }
}
