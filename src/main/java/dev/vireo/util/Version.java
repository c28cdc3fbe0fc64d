package dev.vireo.util;

/** Vireo's version and the Redis version whose behaviour it implements (what clients see in INFO and HELLO). */
public final class Version {
  private Version() {}

  public static final String REDIS_COMPAT = "7.0.15";
  public static final String VIREO;

  static {
    String v = Version.class.getPackage().getImplementationVersion();
    VIREO = v == null ? "0.1.0-SNAPSHOT" : v;
  }
}
