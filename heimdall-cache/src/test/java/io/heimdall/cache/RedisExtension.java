package io.heimdall.cache;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Starts one {@link RedisFixture} per test class and empties it before each test. */
final class RedisExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

  private RedisFixture server;

  RedisFixture server() {
    return server;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    server = RedisFixture.start();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    server.raw().flushall();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    server.close();
  }
}
