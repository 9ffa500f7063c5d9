package io.heimdall.dsp.sigmf;

import io.heimdall.dsp.RecordingFormatException;
import java.nio.file.Path;

/**
 * A {@code .sigmf-meta} file that cannot be used: malformed JSON, a required field missing, a
 * field of the wrong type or with a value Heimdall does not read (an unknown datatype, a
 * geolocation that is not a GeoJSON Point, an undeclared extension). The message names the file,
 * the field, the value found and what was expected; {@link #field()} names the field.
 */
public final class SigMfMetadataException extends RecordingFormatException {
  private static final long serialVersionUID = 1L;

  /** The field at fault, as a path into the document; empty for a malformed document. */
  private final String field;

  SigMfMetadataException(Path file, String field, String problem) {
    super(file, file + ": " + (field.isEmpty() ? "" : field + " ") + problem);
    this.field = field;
  }

  SigMfMetadataException(Path file, String problem, Throwable cause) {
    super(file, file + ": " + problem, cause);
    this.field = "";
  }

  /**
   * The field at fault, as a path into the document.
   *
   * @return e.g. {@code "global.core:datatype"} or {@code "captures[0].core:datetime"}; empty when
   *     the document itself is malformed
   */
  public String field() {
    return field;
  }
}
