package dev.vireo.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Set;
import java.util.function.Supplier;

/**
 * HTTP Basic authentication against {@code requirepass}, user {@code default} (as {@code AUTH default pw}),
 * realm {@code vireo}. The password is read on every request, so {@code CONFIG SET requirepass} takes effect
 * at once; with no password set, everything is open, as for RESP clients. {@code /health} and {@code /metrics}
 * stay open for probes and scrapers.
 */
final class BasicAuth implements Handler<RoutingContext> {
  static final String USER = "default";
  static final String REALM = "vireo";
  private static final Set<String> OPEN_PATHS = Set.of("/health", "/metrics");

  private final Supplier<String> requirepass;

  BasicAuth(Supplier<String> requirepass) {
    this.requirepass = requirepass;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String password = requirepass.get();
    if (password == null || password.isEmpty() || OPEN_PATHS.contains(ctx.normalizedPath())
        || accepts(ctx.request().getHeader("Authorization"), password)) {
      ctx.next();
      return;
    }
    ctx.response()
        .setStatusCode(401)
        .putHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"")
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .end("authentication required (user " + USER + ", the requirepass password)\n");
  }

  static boolean accepts(String header, String password) {
    if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) return false;
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(header.substring(6).trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    String pair = new String(decoded, StandardCharsets.UTF_8);
    int colon = pair.indexOf(':');
    if (colon < 0 || !pair.substring(0, colon).equals(USER)) return false;
    // constant time, so the reply time does not tell how much of a guess was right
    return MessageDigest.isEqual(pair.substring(colon + 1).getBytes(StandardCharsets.UTF_8),
        password.getBytes(StandardCharsets.UTF_8));
  }
}
