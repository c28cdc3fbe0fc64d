package dev.vireo.web;

import dev.vireo.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * Serves {@code /health}: asks the data loop over the event bus and answers 200 with its JSON, or 503 when the
 * data loop does not answer within a second (blocked by a long command, for example).
 */
public final class HttpVerticle extends VerticleBase {
  private final String host;
  private final int port;
  private HttpServer http;

  public HttpVerticle(String host, int port) {
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/health").handler(ctx -> vertx.eventBus()
        .<JsonObject>request(Addresses.HEALTH, null, new DeliveryOptions().setSendTimeout(1000))
        .onSuccess(m -> ctx.response().putHeader("content-type", "application/json").end(m.body().encode()))
        .onFailure(e -> ctx.response().setStatusCode(503).putHeader("content-type", "application/json")
            .end(new JsonObject().put("status", "unavailable").put("error", e.getMessage()).encode())));
    http = vertx.createHttpServer();
    return http.requestHandler(router).listen(port, host);
  }

  public int actualPort() {
    return http == null ? -1 : http.actualPort();
  }
}
