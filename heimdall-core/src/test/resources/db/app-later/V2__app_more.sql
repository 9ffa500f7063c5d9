-- The application's next migration, added after Heimdall's ran (MigrationsTest).
ALTER TABLE app_orders ADD COLUMN placed_at timestamptz NOT NULL DEFAULT now();
