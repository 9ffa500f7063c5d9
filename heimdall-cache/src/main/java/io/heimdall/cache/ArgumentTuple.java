package io.heimdall.cache;

import java.util.Arrays;

/**
 * The local key of a loader with several arguments. A type of its own, so it never equals a {@link
 * java.util.List} passed as the single argument of another loader.
 */
final class ArgumentTuple {

  private final Object[] arguments;

  ArgumentTuple(Object... arguments) {
    this.arguments = arguments.clone();
  }

  int size() {
    return arguments.length;
  }

  Object get(int index) {
    return arguments[index];
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ArgumentTuple tuple && Arrays.equals(arguments, tuple.arguments);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(arguments);
  }

  @Override
  public String toString() {
    return Arrays.toString(arguments);
  }
}
