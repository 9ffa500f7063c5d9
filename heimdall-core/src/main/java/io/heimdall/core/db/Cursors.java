package io.heimdall.core.db;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque keyset cursors: base64url of (listing, created_at, id) followed by a truncated HMAC-SHA256
 * under the database's secret, so a cursor that was edited, truncated or issued for another listing
 * is rejected with {@link InvalidCursorException} before it reaches SQL.
 */
final class Cursors {
  private static final int MAC_BYTES = 16;
  private static final String ALGORITHM = "HmacSHA256";

  /** A position in a listing: the last row of a page. */
  record Position(Instant createdAt, Object id) {}

  private final SecretKeySpec key;

  Cursors(byte[] secret) {
    this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
  }

  String encode(Listing listing, Instant createdAt, Object id) {
    ByteBuffer payload = ByteBuffer.allocate(1 + 8 + listing.idBytes + MAC_BYTES);
    payload.put((byte) listing.ordinal());
    payload.putLong(ChronoUnit.MICROS.between(Instant.EPOCH, createdAt));
    if (id instanceof UUID) {
      payload
          .putLong(((UUID) id).getMostSignificantBits())
          .putLong(((UUID) id).getLeastSignificantBits());
    } else {
      payload.putLong((Long) id);
    }
    byte[] bytes = payload.array();
    System.arraycopy(
        mac(bytes, bytes.length - MAC_BYTES), 0, bytes, bytes.length - MAC_BYTES, MAC_BYTES);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  Position decode(Listing listing, String cursor) {
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(cursor);
    } catch (IllegalArgumentException e) {
      throw invalid(listing, cursor, "it is not base64url");
    }
    if (bytes.length != 1 + 8 + listing.idBytes + MAC_BYTES) {
      throw invalid(listing, cursor, "it has the wrong length");
    }
    byte[] expected = Arrays.copyOf(mac(bytes, bytes.length - MAC_BYTES), MAC_BYTES);
    byte[] actual = Arrays.copyOfRange(bytes, bytes.length - MAC_BYTES, bytes.length);
    if (!MessageDigest.isEqual(expected, actual)) {
      throw invalid(
          listing, cursor, "its signature does not match (edited, or issued by another database)");
    }
    ByteBuffer payload = ByteBuffer.wrap(bytes);
    int kind = payload.get();
    if (kind != listing.ordinal()) {
      throw invalid(listing, cursor, "it was issued for " + Listing.values()[kind].table);
    }
    Instant createdAt = Instant.EPOCH.plus(payload.getLong(), ChronoUnit.MICROS);
    Object id =
        listing.idBytes == 16
            ? new UUID(payload.getLong(), payload.getLong())
            : (Object) payload.getLong();
    return new Position(createdAt, id);
  }

  private byte[] mac(byte[] data, int length) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      mac.update(data, 0, length);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
    }
  }

  private static InvalidCursorException invalid(Listing listing, String cursor, String why) {
    String shown = cursor.length() > 60 ? cursor.substring(0, 60) + "…" : cursor;
    return new InvalidCursorException(
        "invalid cursor '"
            + shown
            + "' for "
            + listing.table
            + ": "
            + why
            + "; pass the nextCursor of a previous page of the same listing, or none for the first"
            + " page");
  }
}
