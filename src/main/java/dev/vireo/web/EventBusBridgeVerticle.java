package dev.vireo.web;

import dev.vireo.bus.Addresses;
import dev.vireo.config.ServerConfig;
import dev.vireo.util.InfoText;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.BridgeEvent;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The TCP event-bus bridge on {@code http-bind:eventbus-bridge-port}: any language that can open a socket and
 * write length-prefixed JSON follows the replication events. Outbound (what a client may {@code register} for):
 * {@code vireo.replication.*} only. Inbound (what it may {@code send}): {@code vireo.node.health} only, the
 * same answer as the open {@code /health}; nothing can be published into the node.
 *
 * <p>It also publishes the node's role changes at {@code vireo.replication.role}, folded from the link's and the
 * failover's events ({@link RoleTracker}), the role at start taken from INFO.
 *
 * <p>When {@code requirepass} is set (read live), a {@code register} must carry the password in its headers,
 * {@code "headers":{"auth":"..."}}, or the client gets an error frame: the events are guarded like the status
 * page. Headers a client sends are never forwarded onto the event bus, so a password does not travel further.
 */
public final class EventBusBridgeVerticle extends VerticleBase {
  private final ServerConfig config;
  private final String host;
  private final int port;
  private final RoleTracker role = new RoleTracker(System.currentTimeMillis());
  private TcpEventBusBridge bridge;

  public EventBusBridgeVerticle(ServerConfig config, int port) {
    this.config = config;
    this.host = config.get("http-bind");
    this.port = port;
  }

  @Override
  public Future<?> start() {
    BridgeOptions options = new BridgeOptions()
        .addOutboundPermitted(new PermittedOptions().setAddressRegex("vireo\\.replication\\..+"))
        .addOutboundPermitted(new PermittedOptions().setAddress(Addresses.FLEET_STATUS))
        .addOutboundPermitted(new PermittedOptions().setAddress(Addresses.FLEET_EVENTS))
        .addInboundPermitted(new PermittedOptions().setAddress(Addresses.HEALTH))
        .addInboundPermitted(new PermittedOptions().setAddress(Addresses.FLEET_VIEW));
    bridge = TcpEventBusBridge.create(vertx, options, null, this::guard);
    MessageConsumer<JsonObject> state = vertx.eventBus().consumer(Addresses.REPLICATION_STATE,
        m -> publishRole(role.onLink(m.body(), System.currentTimeMillis())));
    MessageConsumer<JsonObject> failover = vertx.eventBus().consumer(Addresses.REPLICATION_FAILOVER,
        m -> publishRole(role.onFailover(m.body(), System.currentTimeMillis())));
    long asked = System.currentTimeMillis();
    vertx.eventBus().<String>request(Addresses.INFO, null, new DeliveryOptions().setSendTimeout(5000))
        .onSuccess(m -> publishRole(role.onInfo(InfoText.parse(m.body()), asked, System.currentTimeMillis())));
    return Future.all(state.completion(), failover.completion()).compose(v -> bridge.listen(port, host));
  }

  private void publishRole(JsonObject change) {
    if (change != null) vertx.eventBus().publish(Addresses.REPLICATION_ROLE, change);
  }

  private void guard(BridgeEvent event) {
    JsonObject raw = event.getRawMessage();
    if (raw == null) {
      event.complete(true);
      return;
    }
    JsonObject headers = raw.getJsonObject("headers");
    boolean allowed = event.type() != BridgeEventType.REGISTER || authorised(headers);
    if (headers != null && (event.type() == BridgeEventType.SEND || event.type() == BridgeEventType.PUBLISH)) {
      raw.remove("headers");
      event.setRawMessage(raw);
    }
    event.complete(allowed);
  }

  private boolean authorised(JsonObject headers) {
    String password = config.get("requirepass");
    if (password == null || password.isEmpty()) return true;
    Object given = headers == null ? null : headers.getValue("auth");
    return given instanceof String s && MessageDigest.isEqual(s.getBytes(StandardCharsets.UTF_8),
        password.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public Future<?> stop() {
    return bridge == null ? Future.succeededFuture() : bridge.close();
  }
}
