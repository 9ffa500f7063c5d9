package io.heimdall.dsp.internal;

import java.lang.reflect.InvocationTargetException;

/**
 * Finds the Vector API kernels. They are loaded by name, so that a JVM started without {@code
 * --add-modules jdk.incubator.vector} never links a class that needs the module, and a kernel
 * applies only where SIMD registers hold at least eight floats.
 */
final class VectorKernels {

  private VectorKernels() {}

  /**
   * A new instance of {@code className}, built by its constructor taking {@code parameterTypes},
   * or null where the vector kernels do not apply: {@value BlockFft#DISABLE_PROPERTY}=false, the
   * JVM started without the incubator module, or the class's static {@code wideEnough()} says the
   * SIMD registers are too narrow.
   */
  static <T> T load(Class<T> type, String className, Class<?>[] parameterTypes, Object... args) {
    if ("false".equals(System.getProperty(BlockFft.DISABLE_PROPERTY))
        || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return null;
    }
    try {
      Class<?> implementation = Class.forName(className);
      if (!(boolean) implementation.getMethod("wideEnough").invoke(null)) {
        return null;
      }
      return type.cast(implementation.getConstructor(parameterTypes).newInstance(args));
    } catch (ClassNotFoundException
        | NoSuchMethodException
        | IllegalAccessException
        | InstantiationException
        | LinkageError e) {
      return null;
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(className + " failed to initialise", e.getCause());
    }
  }
}
