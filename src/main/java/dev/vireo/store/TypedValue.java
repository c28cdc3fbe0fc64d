package dev.vireo.store;

/** A non-string value type (list, hash, set, sorted set...): its Redis type name, encoding, and a deep copy. */
public interface TypedValue {
  String typeName();

  String encoding();

  TypedValue copy();

  /** The value's bytes in Redis's layout for its encoding ({@link MemoryModel}), from counters kept as it changes. */
  long memory();
}
