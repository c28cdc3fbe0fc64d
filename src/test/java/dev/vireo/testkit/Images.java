package dev.vireo.testkit;

/** Container images the tests run, the same as docker/docker-compose.yml names (StackConfigTest checks). */
public final class Images {
  private Images() {}

  public static final String JAEGER = "jaegertracing/jaeger:2.20.0";
}
