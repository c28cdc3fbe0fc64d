package dev.vireo.store;

/** A non-string value type (list, hash, set, sorted set...): its Redis type name, encoding, and a deep copy. */
public interface TypedValue {
  String typeName();

  String encoding();

  TypedValue copy();
}
