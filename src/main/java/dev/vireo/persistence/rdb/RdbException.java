package dev.vireo.persistence.rdb;

import java.io.IOException;

/** An RDB file or DUMP payload that cannot be read: truncated, corrupt, or using a type this codec does not load. */
public final class RdbException extends IOException {
  private static final long serialVersionUID = 1L;

  public RdbException(String message) {
    super(message);
  }

  public RdbException(String message, Throwable cause) {
    super(message, cause);
  }
}
