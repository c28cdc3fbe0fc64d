/**
 * Memory accounting and eviction as a client sees them: {@code maxmemory} and its eight policies, {@code -OOM},
 * {@code OBJECT FREQ|IDLETIME}, {@code MEMORY ...} and evictions reaching replicas. Every expectation is recorded
 * from a real redis-server 7.0.15 in the same run; with {@code -Dvireo.reference=redis} the Vireo side is a second
 * redis-server, which proves the expectations themselves.
 */
package dev.vireo.memory;
