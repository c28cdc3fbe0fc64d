package dev.vireo.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Passes a message object by reference between verticles of one node (no copy, no encoding): typed records and the
 * {@code Buffer}s they carry. It refuses the wire, so such messages never leave the JVM. Register once per Vert.x
 * instance with {@link #register}; send with {@link #OPTIONS}.
 */
public final class LocalCodec implements MessageCodec<Object, Object> {
  public static final String NAME = "vireo-local";
  /** Delivery options that select this codec. */
  public static final DeliveryOptions OPTIONS = new DeliveryOptions().setCodecName(NAME).setLocalOnly(true);

  private LocalCodec() {}

  /** Registers the codec on {@code vertx}, once: nodes sharing a Vert.x instance share it. */
  public static synchronized void register(Vertx vertx) {
    try {
      vertx.eventBus().registerCodec(new LocalCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // another node on the same Vert.x instance registered it
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, Object o) {
    throw new UnsupportedOperationException("local messages do not leave the JVM");
  }

  @Override
  public Object decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException("local messages do not leave the JVM");
  }

  @Override
  public Object transform(Object o) {
    return o;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
