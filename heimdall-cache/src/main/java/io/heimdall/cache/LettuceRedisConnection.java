package io.heimdall.cache;

import io.heimdall.InvalidInputException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScriptOutputType;
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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The only class that uses Lettuce: one data connection and one pub/sub connection.
 *
 * <p>Connections are made at start-up; if Redis is unreachable then, a daemon thread retries every
 * second whether or not the cache is called, so an instance whose reads are all local hits still
 * gets its subscription back. Once connected, Lettuce reconnects by itself and re-subscribes the
 * channel. Commands time out after the command timeout and are rejected, not queued, while
 * disconnected.
 */
final class LettuceRedisConnection implements RedisConnection {

  private static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
  private static final long CONNECT_RETRY_MILLIS = 1000;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
  private static final int REQUEST_QUEUE_SIZE = 4096;
  private static final int SCAN_BATCH = 500;
  private static final String EXPECTED_URI =
      "expected redis://[password@]host[:port][/database] or rediss://...";

  /** KEYS: value, tombstone, generation. ARGV: value, ttl ms, observed tombstone, generation. */
  private static final String SET_IF_UNCHANGED =
      "if (redis.call('GET', KEYS[2]) or '') ~= ARGV[3] then return 0 end "
          + "if (redis.call('GET', KEYS[3]) or '') ~= ARGV[4] then return 0 end "
          + "redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1";

  /** KEYS: value, tombstone. ARGV: token, tombstone ttl ms, channel, message. */
  private static final String INVALIDATE =
      "redis.call('DEL', KEYS[1]) "
          + "redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2]) "
          + "redis.call('PUBLISH', ARGV[3], ARGV[4]) return 1";

  private final RedisClient client;
  private final ClientResources resources;
  private final Duration commandTimeout;
  private final String channel;
  private final Listener listener;
  private final AtomicBoolean everSubscribed = new AtomicBoolean();
  private volatile StatefulRedisConnection<String, byte[]> data;
  private volatile StatefulRedisPubSubConnection<String, String> pubSub;
  private volatile boolean closed;

  private LettuceRedisConnection(
      RedisURI uri, Duration commandTimeout, String channel, Listener listener) {
    this.commandTimeout = commandTimeout;
    this.channel = channel;
    this.listener = listener;
    this.resources =
        ClientResources.builder()
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(2)
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(10), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
            .build();
    this.client =
        RedisClient.create(resources, RedisURI.builder(uri).withTimeout(commandTimeout).build());
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .requestQueueSize(REQUEST_QUEUE_SIZE)
            .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
            .socketOptions(
                SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).keepAlive(true).build())
            .build());
  }

  /**
   * Checks a URI as {@link #open} will parse it.
   *
   * @throws InvalidInputException naming the URI and the expected form
   */
  static void validate(String uri) {
    parse(uri);
  }

  /** Opens a connection; connects once now and, if that fails, keeps retrying in the background. */
  static RedisConnection open(
      String uri, Duration commandTimeout, String channel, Listener listener) {
    LettuceRedisConnection connection =
        new LettuceRedisConnection(parse(uri), commandTimeout, channel, listener);
    connection.connect(false);
    return connection;
  }

  private static RedisURI parse(String text) {
    RedisURI uri;
    try {
      uri = RedisURI.create(text);
    } catch (RuntimeException e) {
      throw new InvalidInputException(
          "redis URI '" + text + "' is invalid (" + e.getMessage() + "): " + EXPECTED_URI, e);
    }
    Checks.argument(
        uri.getSocket() != null || (uri.getHost() != null && !uri.getHost().isEmpty()),
        "redis URI '" + text + "' names no host: " + EXPECTED_URI);
    return uri;
  }

  /** Connects both connections or neither; on failure schedules the next attempt. */
  private void connect(boolean retry) {
    if (closed) {
      return;
    }
    StatefulRedisConnection<String, byte[]> newData = null;
    StatefulRedisPubSubConnection<String, String> newPubSub = null;
    try {
      newData = client.connect(CODEC);
      newData.setTimeout(commandTimeout);
      newPubSub = client.connectPubSub(StringCodec.UTF8);
      newPubSub.setTimeout(commandTimeout);
      AtomicBoolean firstSubscription = new AtomicBoolean(true);
      newPubSub.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(String ignoredChannel, String message) {
              listener.onMessage(message);
            }

            @Override
            public void subscribed(String ignoredChannel, long count) {
              // Later subscriptions of this connection are Lettuce's re-subscriptions after a
              // reconnect: invalidations published while it was away are lost.
              if (!firstSubscription.getAndSet(false)) {
                listener.onSubscriptionRestored();
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
      listener.onConnected();
      // A first subscription made in the background follows a start-up without one: whatever
      // was invalidated meanwhile never reached this instance.
      if (everSubscribed.getAndSet(true) || retry) {
        listener.onSubscriptionRestored();
      }
    } catch (RuntimeException e) {
      listener.onConnectFailed(e);
      if (!closed) {
        Background.schedule(() -> connect(true), CONNECT_RETRY_MILLIS);
      }
    } finally {
      closeQuietly(newData);
      closeQuietly(newPubSub);
    }
  }

  private RedisCommands<String, byte[]> commands() {
    return connection().sync();
  }

  private StatefulRedisConnection<String, byte[]> connection() {
    StatefulRedisConnection<String, byte[]> current = data;
    if (current == null) {
      throw new RedisException("not connected to Redis yet (retrying in the background)");
    }
    return current;
  }

  @Override
  public boolean isConnected() {
    StatefulRedisConnection<String, byte[]> current = data;
    return current != null && current.isOpen();
  }

  @Override
  public List<byte[]> mget(List<String> keys) {
    List<KeyValue<String, byte[]>> found = commands().mget(keys.toArray(String[]::new));
    List<byte[]> values = new ArrayList<>(found.size());
    found.forEach(kv -> values.add(kv.getValueOrElse(null)));
    return values;
  }

  @Override
  public CompletionStage<Boolean> setIfUnchanged(
      String key,
      String tombstoneKey,
      String generationKey,
      byte[] value,
      long ttlMillis,
      String observedTombstone,
      String observedGeneration) {
    return connection()
        .async()
        .<Long>eval(
            SET_IF_UNCHANGED,
            ScriptOutputType.INTEGER,
            new String[] {key, tombstoneKey, generationKey},
            value,
            utf8(Long.toString(ttlMillis)),
            utf8(observedTombstone),
            utf8(observedGeneration))
        .thenApply(written -> written == 1L);
  }

  @Override
  public void invalidate(
      String key, String tombstoneKey, String token, long tombstoneMillis, String message) {
    commands()
        .eval(
            INVALIDATE,
            ScriptOutputType.INTEGER,
            new String[] {key, tombstoneKey},
            utf8(token),
            utf8(Long.toString(tombstoneMillis)),
            utf8(channel),
            utf8(message));
  }

  @Override
  public void incrementGeneration(String generationKey) {
    commands().incr(generationKey);
  }

  @Override
  public long deleteMatching(String pattern) {
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

  @Override
  public void publish(String message) {
    commands().publish(channel, utf8(message));
  }

  @Override
  public void delete(String key) {
    commands().del(key);
  }

  @Override
  public void ping() {
    commands().ping();
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
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
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
