package io.heimdall.core.db;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Wraps a DAO so that every call translates driver failures into this package's typed exceptions
 * and, given a registry, is timed as {@code heimdall.db.calls} tagged with dao and method.
 */
final class Instrumented {
  static final String TIMER = "heimdall.db.calls";

  private Instrumented() {}

  static <T> T wrap(Class<T> type, T target, MeterRegistry registry) {
    String dao = type.getSimpleName().replace("Dao", "").toLowerCase(Locale.ROOT);
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return method.invoke(target, args);
          }
          long start = System.nanoTime();
          try {
            return method.invoke(target, args);
          } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException
                ? SqlErrors.translate((RuntimeException) cause)
                : cause;
          } finally {
            if (registry != null) {
              record(registry, dao, method, System.nanoTime() - start);
            }
          }
        };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  private static void record(MeterRegistry registry, String dao, Method method, long nanos) {
    Timer.builder(TIMER)
        .description("Duration of Heimdall DAO calls")
        .tag("dao", dao)
        .tag("method", method.getName())
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }
}
