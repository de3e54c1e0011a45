package no.followup.common.metrics;

import java.util.Arrays;
import java.util.OptionalDouble;

/** Reads values out of a Prometheus text exposition, for the services' metrics tests. */
public final class PrometheusText {

  private PrometheusText() {}

  /**
   * The value of the first sample of {@code name} whose labels include every one of
   * {@code labels} (each written as in the text, e.g. {@code reason="invalid"}), if there is one.
   */
  public static OptionalDouble value(String scrape, String name, String... labels) {
    return scrape.lines()
        .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
        .filter(line -> Arrays.stream(labels).allMatch(line::contains))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .findFirst();
  }

  /** As {@link #value}, 0 when there is no such sample yet. */
  public static double valueOrZero(String scrape, String name, String... labels) {
    return value(scrape, name, labels).orElse(0);
  }
}
