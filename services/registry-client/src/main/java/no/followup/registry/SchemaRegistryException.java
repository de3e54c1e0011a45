package no.followup.registry;

import java.util.Optional;

/**
 * A failed schema registry operation: the HTTP status, the registry's {@code error_code} and its
 * message, kept as the registry sent them.
 *
 * <p>Callers should branch on {@link #kind()}, which is derived from the HTTP status first: some
 * registries answer a 409 with {@code error_code} 0, so the code alone is not reliable. The error
 * code refines a kind where it is present (subject vs. version vs. schema not found).
 */
public class SchemaRegistryException extends RuntimeException {

  /** Confluent's error codes, used by the local registry and understood by the client. */
  public static final int SUBJECT_NOT_FOUND = 40401;
  public static final int VERSION_NOT_FOUND = 40402;
  public static final int SCHEMA_NOT_FOUND = 40403;
  public static final int SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED = 40408;
  public static final int INCOMPATIBLE_SCHEMA = 409;
  public static final int INVALID_SCHEMA = 42201;
  public static final int INVALID_VERSION = 42202;
  public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
  public static final int BACKEND_STORE_ERROR = 50001;

  /** What went wrong, by HTTP status. */
  public enum Kind {
    /** 404: subject, version or schema id unknown. */
    NOT_FOUND,
    /** 409: the schema is incompatible with the subject's earlier versions. */
    INCOMPATIBLE,
    /** 422: invalid schema, version or compatibility level. */
    INVALID,
    /** 401 or 403. */
    NOT_AUTHORIZED,
    /** 408 or 429: the registry asked to be asked again later, after the retries ran out. */
    BUSY,
    /** Any other 4xx. */
    CLIENT_ERROR,
    /** 5xx, after the retries ran out. */
    SERVER_ERROR,
    /**
     * No usable HTTP answer (connection refused, timeout, TLS failure, a 2xx body that is not the
     * registry's JSON or is larger than any registry answer), after the retries ran out.
     */
    UNREACHABLE
  }

  private final int status;
  private final int errorCode;
  private final String registryMessage;

  public SchemaRegistryException(int status, int errorCode, String registryMessage) {
    this(status, errorCode, registryMessage, null, null);
  }

  public SchemaRegistryException(int status, int errorCode, String registryMessage, String context, Throwable cause) {
    super(describe(status, errorCode, registryMessage, context), cause);
    this.status = status;
    this.errorCode = errorCode;
    this.registryMessage = registryMessage;
  }

  /** A failure without an HTTP answer. */
  public static SchemaRegistryException unreachable(String context, Throwable cause) {
    return new SchemaRegistryException(-1, -1, String.valueOf(cause.getMessage()), context, cause);
  }

  public static SchemaRegistryException subjectNotFound(String subject) {
    return new SchemaRegistryException(404, SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
  }

  public static SchemaRegistryException versionNotFound(String subject, int version) {
    return new SchemaRegistryException(404, VERSION_NOT_FOUND, "Version " + version + " not found for subject '" + subject + "'.");
  }

  public static SchemaRegistryException schemaNotFound(String detail) {
    return new SchemaRegistryException(404, SCHEMA_NOT_FOUND, detail);
  }

  public static SchemaRegistryException incompatible(String message) {
    return new SchemaRegistryException(409, INCOMPATIBLE_SCHEMA, message);
  }

  public static SchemaRegistryException invalidSchema(String message) {
    return new SchemaRegistryException(422, INVALID_SCHEMA, message);
  }

  public static SchemaRegistryException invalidVersion(String version) {
    return new SchemaRegistryException(422, INVALID_VERSION, "The specified version '" + version
        + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
  }

  public static SchemaRegistryException invalidCompatibilityLevel(String level) {
    return new SchemaRegistryException(422, INVALID_COMPATIBILITY_LEVEL, "Invalid compatibility level '" + level
        + "'. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive");
  }

  /** HTTP status, or -1 when no answer came. */
  public int status() {
    return status;
  }

  /** The registry's {@code error_code}, or -1 when it sent none. */
  public int errorCode() {
    return errorCode;
  }

  /** The registry's own message (or the transport error's), unchanged. */
  public String registryMessage() {
    return registryMessage;
  }

  public Kind kind() {
    if (status < 0) {
      return Kind.UNREACHABLE;
    }
    if (status >= 500) {
      return Kind.SERVER_ERROR;
    }
    return switch (status) {
      case 404 -> Kind.NOT_FOUND;
      case 409 -> Kind.INCOMPATIBLE;
      case 422 -> Kind.INVALID;
      case 401, 403 -> Kind.NOT_AUTHORIZED;
      case 408, 429 -> Kind.BUSY;
      default -> Kind.CLIENT_ERROR;
    };
  }

  /** The first registry failure among {@code failure} and its causes: serdes and clients wrap it in their own. */
  public static Optional<SchemaRegistryException> among(Throwable failure) {
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof SchemaRegistryException registry) {
        return Optional.of(registry);
      }
    }
    return Optional.empty();
  }

  /**
   * True when the failure says nothing about what was asked: the registry could not be reached,
   * failed, was busy, or refused these credentials (they expire, and are renewed). The same
   * question can get an answer later, so a record waiting on it must be retried, not given up as
   * bad. False for answers about the question itself (unknown id, incompatible or invalid schema).
   */
  public boolean isTransient() {
    return switch (kind()) {
      case UNREACHABLE, SERVER_ERROR, BUSY, NOT_AUTHORIZED -> true;
      case NOT_FOUND, INCOMPATIBLE, INVALID, CLIENT_ERROR -> false;
    };
  }

  /** 404 for a subject (or, where the registry sent no specific code, any 404). */
  public boolean isSubjectNotFound() {
    return status == 404 && (errorCode == SUBJECT_NOT_FOUND || !hasSpecificCode());
  }

  /** 404 for a schema (by id, or not registered under a subject). */
  public boolean isSchemaNotFound() {
    return status == 404 && (errorCode == SCHEMA_NOT_FOUND || !hasSpecificCode());
  }

  public boolean isIncompatible() {
    return kind() == Kind.INCOMPATIBLE;
  }

  private boolean hasSpecificCode() {
    return errorCode >= 10000;
  }

  private static String describe(int status, int errorCode, String message, String context) {
    StringBuilder text = new StringBuilder();
    if (context != null) {
      text.append(context).append(": ");
    }
    if (status < 0) {
      text.append("schema registry unreachable");
    } else {
      text.append("schema registry answered ").append(status);
      if (errorCode >= 0) {
        text.append(" (error_code ").append(errorCode).append(')');
      }
    }
    if (message != null && !message.isBlank()) {
      text.append(": ").append(message);
    }
    return text.toString();
  }
}
