package no.followup.delivery;

/** The gateway did not accept a message. Carries an error class for receipts, never message content. */
public final class SmsGatewayException extends Exception {

  private final String errorClass;
  private final int attempts;

  public SmsGatewayException(String errorClass, int attempts, String message, Throwable cause) {
    super(message, cause);
    this.errorClass = errorClass;
    this.attempts = attempts;
  }

  /** E.g. {@code HTTP_400}, {@code HTTP_503}, {@code java.net.http.HttpTimeoutException}. */
  public String errorClass() {
    return errorClass;
  }

  public int attempts() {
    return attempts;
  }
}
