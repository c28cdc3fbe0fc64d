package dev.vireo.config;

/** A configuration that cannot be loaded; the message is what redis-server would print, ready for stderr. */
public final class ConfigException extends Exception {
  public ConfigException(String message) {
    super(message);
  }
}
