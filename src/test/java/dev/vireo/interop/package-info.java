/**
 * Client compatibility: real Redis clients ({@code redis-cli} 7.0, Jedis 6, Lettuce 6.8) used as their users use
 * them, against an in-process node. Each assertion matches what the same client sees from a real Redis 7.0.
 */
package dev.vireo.interop;
