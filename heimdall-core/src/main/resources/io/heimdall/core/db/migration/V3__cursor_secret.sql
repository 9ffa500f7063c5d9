-- Key for signing pagination cursors, shared by every JVM that uses this database so that a
-- cursor issued by one instance is accepted by another. gen_random_uuid() draws from the
-- server's strong random source (built in since PostgreSQL 13): two of them give 244 random bits.
CREATE TABLE heimdall_settings (
    name  text  PRIMARY KEY,
    value bytea NOT NULL
);

INSERT INTO heimdall_settings (name, value)
VALUES ('cursor_secret',
        decode(replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', ''), 'hex'));
