/** The HTTP endpoint on http-bind:http-port (its own event loop): /health now; the status page later. */
package dev.vireo.web;
