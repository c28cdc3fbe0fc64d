/**
 * Small helpers with no state and no dependencies on the rest of the node: the log in redis-server's format,
 * glob matching, Redis's double formatting, the geohash arithmetic of the geo commands, the INFO text parser,
 * value representation for MONITOR and the version numbers. Safe on any thread.
 */
package dev.vireo.util;
