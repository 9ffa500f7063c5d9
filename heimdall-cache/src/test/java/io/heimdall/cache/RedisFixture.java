package io.heimdall.cache;

import io.heimdall.embedded.EmbeddedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;

/** An {@link EmbeddedRedis} plus a plain Lettuce connection for checking what the caches wrote. */
final class RedisFixture implements AutoCloseable {

  private final EmbeddedRedis server;
  private RedisClient rawClient;
  private StatefulRedisConnection<String, byte[]> raw;

  private RedisFixture(EmbeddedRedis server) {
    this.server = server;
  }

  static RedisFixture start() {
    return new RedisFixture(EmbeddedRedis.start());
  }

  String uri() {
    return server.uri();
  }

  EmbeddedRedis server() {
    return server;
  }

  /** Sync commands with String keys and byte[] values. */
  synchronized RedisCommands<String, byte[]> raw() {
    if (raw == null) {
      rawClient = RedisClient.create(uri());
      raw = rawClient.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
      raw.setTimeout(Duration.ofSeconds(5));
    }
    return raw.sync();
  }

  /** SIGKILL: the server vanishes without closing anything gracefully. */
  void kill() {
    closeRaw();
    server.stop();
  }

  void restart() {
    closeRaw();
    server.restart();
  }

  private synchronized void closeRaw() {
    if (raw != null) {
      raw.close();
      rawClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      raw = null;
      rawClient = null;
    }
  }

  @Override
  public void close() {
    closeRaw();
    server.close();
  }
}
