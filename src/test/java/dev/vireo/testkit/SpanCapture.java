package dev.vireo.testkit;

import dev.vireo.observability.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

/**
 * Spans of in-process nodes captured in memory: {@link #install} puts an SDK exporting to {@link #exporter} in
 * place of the (disabled) process-wide one; {@link #close} puts a no-op back.
 */
public final class SpanCapture implements AutoCloseable {
  public final InMemorySpanExporter exporter = InMemorySpanExporter.create();

  private SpanCapture() {}

  public static SpanCapture install() {
    SpanCapture c = new SpanCapture();
    SdkTracerProvider tp = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(c.exporter))
        .build();
    Tracing.use(OpenTelemetrySdk.builder().setTracerProvider(tp).build());
    return c;
  }

  @Override
  public void close() {
    Tracing.use(OpenTelemetry.noop());
  }
}
