package io.heimdall.cache;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The shared tier: one data connection and one pub/sub connection to Redis.
 *
 * <p>Connections are made at start-up; if Redis is unreachable then, the tier retries in the
 * background (at most once per {@link #CONNECT_RETRY_NANOS}) while the cache serves from the
 * loader. Once connected, Lettuce reconnects by itself and re-subscribes the channel. Every
 * operation throws on failure; the cache turns failures into fail-open behaviour.
 */
final class RedisTier implements AutoCloseable {

  private static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
  private static final long CONNECT_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
  private static final int REQUEST_QUEUE_SIZE = 4096;
  private static final int SCAN_BATCH = 500;

  private final RedisClient client;
  private final ClientResources ownedResources;
  private final Duration commandTimeout;
  private final String channel;
  private final Consumer<String> onMessage;
  private final Runnable onResubscribed;
  private final Consumer<RuntimeException> onConnectFailure;
  private final AtomicBoolean connecting = new AtomicBoolean();
  private final AtomicBoolean subscribedBefore = new AtomicBoolean();
  private volatile long nextConnectAttemptNanos;
  private volatile StatefulRedisConnection<String, byte[]> data;
  private volatile StatefulRedisPubSubConnection<String, String> pubSub;
  private volatile boolean closed;

  private RedisTier(
      RedisClient client,
      ClientResources ownedResources,
      Duration commandTimeout,
      String channel,
      Consumer<String> onMessage,
      Runnable onResubscribed,
      Consumer<RuntimeException> onConnectFailure) {
    this.client = client;
    this.ownedResources = ownedResources;
    this.commandTimeout = commandTimeout;
    this.channel = channel;
    this.onMessage = onMessage;
    this.onResubscribed = onResubscribed;
    this.onConnectFailure = onConnectFailure;
  }

  /**
   * Creates a tier with its own client: commands time out after {@code commandTimeout}, are
   * rejected (not queued) while disconnected, and reconnection backs off from 10 ms to 2 s.
   */
  static RedisTier create(
      RedisURI uri,
      Duration commandTimeout,
      String channel,
      Consumer<String> onMessage,
      Runnable onResubscribed,
      Consumer<RuntimeException> onConnectFailure) {
    ClientResources resources =
        ClientResources.builder()
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(2)
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(10), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
            .build();
    RedisURI withTimeout = RedisURI.builder(uri).withTimeout(commandTimeout).build();
    RedisClient client = RedisClient.create(resources, withTimeout);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .requestQueueSize(REQUEST_QUEUE_SIZE)
            .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
            .socketOptions(
                SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).keepAlive(true).build())
            .build());
    return start(
        new RedisTier(
            client,
            resources,
            commandTimeout,
            channel,
            onMessage,
            onResubscribed,
            onConnectFailure));
  }

  /**
   * Creates a tier on the caller's client (created with a URI); the caller keeps ownership of it.
   */
  static RedisTier onClient(
      RedisClient client,
      Duration commandTimeout,
      String channel,
      Consumer<String> onMessage,
      Runnable onResubscribed,
      Consumer<RuntimeException> onConnectFailure) {
    return start(
        new RedisTier(
            client, null, commandTimeout, channel, onMessage, onResubscribed, onConnectFailure));
  }

  private static RedisTier start(RedisTier tier) {
    tier.connecting.set(true);
    tier.connect();
    return tier;
  }

  /** Connects both connections or neither; runs with {@link #connecting} held. */
  private void connect() {
    StatefulRedisConnection<String, byte[]> newData = null;
    StatefulRedisPubSubConnection<String, String> newPubSub = null;
    try {
      newData = client.connect(CODEC);
      newData.setTimeout(commandTimeout);
      newPubSub = client.connectPubSub(StringCodec.UTF8);
      newPubSub.setTimeout(commandTimeout);
      newPubSub.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(String ignoredChannel, String message) {
              onMessage.accept(message);
            }

            @Override
            public void subscribed(String ignoredChannel, long count) {
              // After a reconnect, invalidations published while we were away are lost.
              if (subscribedBefore.getAndSet(true)) {
                onResubscribed.run();
              }
            }
          });
      newPubSub.sync().subscribe(channel);
      synchronized (this) {
        if (!closed) {
          data = newData;
          pubSub = newPubSub;
          newData = null;
          newPubSub = null;
        }
      }
    } catch (RuntimeException e) {
      nextConnectAttemptNanos = System.nanoTime() + CONNECT_RETRY_NANOS;
      onConnectFailure.accept(e);
    } finally {
      closeQuietly(newData);
      closeQuietly(newPubSub);
      connecting.set(false);
    }
  }

  private StatefulRedisConnection<String, byte[]> connection() {
    StatefulRedisConnection<String, byte[]> current = data;
    if (current != null) {
      return current;
    }
    if (!closed
        && System.nanoTime() - nextConnectAttemptNanos >= 0
        && connecting.compareAndSet(false, true)) {
      CompletableFuture.runAsync(this::connect); // common pool: daemon threads
    }
    throw new RedisException("not connected to Redis yet (retrying in the background)");
  }

  private RedisCommands<String, byte[]> commands() {
    return connection().sync();
  }

  /** Whether the data connection is established and currently up. */
  boolean isConnected() {
    StatefulRedisConnection<String, byte[]> current = data;
    return current != null && current.isOpen();
  }

  byte[] get(String key) {
    return commands().get(key);
  }

  /** Values of {@code keys} in order, {@code null} where absent. */
  List<byte[]> getAll(List<String> keys) {
    List<KeyValue<String, byte[]>> found = commands().mget(keys.toArray(String[]::new));
    List<byte[]> values = new ArrayList<>(found.size());
    found.forEach(kv -> values.add(kv.getValueOrElse(null)));
    return values;
  }

  /** Writes without waiting; {@code onFailure} runs if the write fails or times out. */
  void setAsync(String key, byte[] value, long ttlMillis, Consumer<Throwable> onFailure) {
    connection()
        .async()
        .set(key, value, SetArgs.Builder.px(ttlMillis))
        .whenComplete(
            (ok, failure) -> {
              if (failure != null) {
                onFailure.accept(failure);
              }
            });
  }

  void delete(String key) {
    commands().del(key);
  }

  /** Deletes every key matching {@code pattern} with SCAN + UNLINK in batches (never KEYS). */
  long deleteMatching(String pattern) {
    RedisCommands<String, byte[]> commands = commands();
    ScanArgs args = ScanArgs.Builder.matches(pattern).limit(SCAN_BATCH);
    long deleted = 0;
    KeyScanCursor<String> cursor = commands.scan(args);
    while (true) {
      if (!cursor.getKeys().isEmpty()) {
        deleted += commands.unlink(cursor.getKeys().toArray(String[]::new));
      }
      if (cursor.isFinished()) {
        return deleted;
      }
      cursor = commands.scan(cursor, args);
    }
  }

  void publish(String message) {
    commands().publish(channel, message.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    StatefulRedisConnection<String, byte[]> oldData;
    StatefulRedisPubSubConnection<String, String> oldPubSub;
    synchronized (this) {
      closed = true;
      oldData = data;
      oldPubSub = pubSub;
      data = null;
      pubSub = null;
    }
    closeQuietly(oldData);
    closeQuietly(oldPubSub);
    if (ownedResources != null) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      ownedResources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
  }

  private static void closeQuietly(AutoCloseable connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (Exception e) {
      // closing a broken connection has nothing left to report
    }
  }
}
