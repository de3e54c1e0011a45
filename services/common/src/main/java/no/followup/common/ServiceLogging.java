package no.followup.common;

/**
 * Points Logback at the services' shared configuration ({@code followup-service-logback.xml}) unless
 * one was given with {@code -Dlogback.configurationFile}. Called first thing in every service's
 * main, before any logger exists; in the local stack and in tests their own configuration applies.
 */
public final class ServiceLogging {

  public static final String CONFIGURATION = "followup-service-logback.xml";

  private ServiceLogging() {}

  public static void useServiceConfiguration() {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", CONFIGURATION);
    }
  }
}
