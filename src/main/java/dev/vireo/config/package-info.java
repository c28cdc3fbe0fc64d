/**
 * Configuration: redis.conf syntax and {@code --name value} flags ({@link dev.vireo.config.ServerConfig#load}),
 * the directive registry behind CONFIG GET/SET/REWRITE, and the exact fatal-error texts redis-server prints.
 *
 * <p>Owned by the data loop: it loads the configuration at startup and runs CONFIG SET and CONFIG REWRITE.
 * Hot-path readers copy the values they need and learn of changes through
 * {@link dev.vireo.config.ServerConfig#onChange}.
 */
package dev.vireo.config;
