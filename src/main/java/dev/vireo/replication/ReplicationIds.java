package dev.vireo.replication;

import java.security.SecureRandom;

/** Replication ids as Redis forms them: 40 hex characters; all zeros where there is none. */
public final class ReplicationIds {
  /** The id Redis shows when there is no second history. */
  public static final String NO_ID = "0000000000000000000000000000000000000000";

  private ReplicationIds() {}

  /** 40 random hex characters: a replication id, a run id, an {@code $EOF:} mark. */
  public static String random() {
    SecureRandom r = new SecureRandom();
    StringBuilder sb = new StringBuilder(40);
    for (int i = 0; i < 40; i++) sb.append(Character.forDigit(r.nextInt(16), 16));
    return sb.toString();
  }

  /** A valid id: 40 characters, as every Redis replid. */
  public static boolean isValid(String id) {
    return id != null && id.length() == 40;
  }
}
