package io.heimdall.core.db;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the test classes that need a database: each class gets its own fresh, migrated database
 * on the shared server ({@link TestPostgres}) before its own {@code @BeforeAll} methods run, and it
 * is closed after them. Test classes run one at a time (JUnit's default), so one field serves.
 */
abstract class FreshDatabaseTest {
  static HeimdallDatabase db;

  @BeforeAll
  static void openDatabase() {
    db = TestPostgres.newDatabase();
  }

  @AfterAll
  static void closeDatabase() {
    db.close();
  }
}
