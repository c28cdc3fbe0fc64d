package dev.vireo.observability.metrics;

import dev.vireo.util.InfoText;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The INFO-derived series as Micrometer meters: each scrape's {@link RedisInfoMetrics.Snapshot} becomes the
 * current values; a series seen for the first time gets a gauge or function counter reading it, and a series gone
 * from INFO (a replica that left, a database emptied) has its meter removed, so nothing stale is exported.
 *
 * <p>The {@code _info} series go through a collector on the Prometheus registry behind Micrometer: Micrometer's
 * Prometheus naming drops an {@code _info} suffix from gauge names, and redis_exporter's dashboards need
 * {@code redis_instance_info} as it is.
 *
 * <p>{@link #update} and {@link #down} run on the HTTP event loop, right before the scrape that reads the values.
 */
final class InfoMeters {
  private record Key(String name, RedisInfoMetrics.Kind kind, Tags tags) {}

  private final PrometheusMeterRegistry registry;
  private final Map<Key, Meter> meters = new HashMap<>();
  private volatile Map<Key, Double> values = Map.of();
  private volatile List<RedisInfoMetrics.InfoSeries> infos = List.of();

  InfoMeters(PrometheusMeterRegistry registry) {
    this.registry = registry;
    registry.getPrometheusRegistry().register(new MultiCollector() {
      @Override
      public MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>();
        for (RedisInfoMetrics.InfoSeries s : infos) {
          Labels.Builder labels = Labels.builder();
          s.labels().forEach(labels::label);
          out.add(InfoSnapshot.builder().name(s.baseName()).help(s.help())
              .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(labels.build()).build()).build());
        }
        return new MetricSnapshots(out);
      }
    });
    down();
  }

  /** The node answered INFO: its text becomes the current series. */
  synchronized void update(String infoText) {
    apply(RedisInfoMetrics.from(InfoText.parse(infoText), System.currentTimeMillis()));
  }

  /** The node did not answer: {@code redis_up 0} and no other INFO series, as redis_exporter does. */
  synchronized void down() {
    apply(new RedisInfoMetrics.Snapshot(List.of(new RedisInfoMetrics.Series("redis_up",
        RedisInfoMetrics.Kind.GAUGE, Map.of(), 0, "1 when the node answered INFO for this scrape")), List.of()));
  }

  private void apply(RedisInfoMetrics.Snapshot snapshot) {
    Map<Key, Double> next = new HashMap<>();
    Map<Key, String> help = new HashMap<>();
    for (RedisInfoMetrics.Series s : snapshot.series()) {
      List<Tag> tags = new ArrayList<>();
      s.labels().forEach((k, v) -> tags.add(Tag.of(k, v)));
      Key key = new Key(s.name(), s.kind(), Tags.of(tags));
      next.put(key, s.value());
      help.put(key, s.help());
    }
    values = next;
    infos = snapshot.infos();
    for (Iterator<Map.Entry<Key, Meter>> it = meters.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Key, Meter> e = it.next();
      if (!next.containsKey(e.getKey())) {
        registry.remove(e.getValue());
        it.remove();
      }
    }
    for (Key key : next.keySet()) {
      if (!meters.containsKey(key)) meters.put(key, register(key, help.get(key)));
    }
  }

  private Meter register(Key key, String help) {
    if (key.kind() == RedisInfoMetrics.Kind.COUNTER) {
      // held weakly by Micrometer; this object lives as long as the node's Metrics
      return FunctionCounter.builder(key.name(), this, m -> m.value(key)).tags(key.tags()).description(help)
          .register(registry);
    }
    return Gauge.builder(key.name(), this, m -> m.value(key)).tags(key.tags()).description(help)
        .strongReference(true).register(registry);
  }

  private double value(Key key) {
    Double v = values.get(key);
    return v == null ? Double.NaN : v;
  }
}
