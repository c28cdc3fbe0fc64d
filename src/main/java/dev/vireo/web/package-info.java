/**
 * The HTTP endpoint on http-bind:http-port, on its own event loop: the live status page (assets in
 * {@code webroot/}), {@code /api/status}, the {@code /events} stream and {@code /health}; and the TCP event-bus
 * bridge on http-bind:eventbus-bridge-port. Everything here learns the node's state from the event bus (the INFO
 * text, the replication and failover events, from which it folds the link's steps, the failover's phases and the
 * node's role with since when) and never touches the data loop's objects; {@code requirepass} is read from the
 * thread-safe configuration on each request.
 */
package dev.vireo.web;
