package no.followup.common.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * What a class logs while a test runs, for tests that assert what reaches the logs (and what never
 * may: personal data). Capturing starts when it is made: as a field,
 * {@code @RegisterExtension final LogCapture logged = LogCapture.of(Some.class);} captures each test
 * and stops after it; inside a test, try-with-resources does the same.
 */
public final class LogCapture implements AutoCloseable, AfterEachCallback {

  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private LogCapture(Logger logger) {
    this.logger = logger;
    appender.start();
    logger.addAppender(appender);
  }

  /** What {@code source}'s logger logs from now on. */
  public static LogCapture of(Class<?> source) {
    return new LogCapture((Logger) LoggerFactory.getLogger(source));
  }

  /** Every event so far, in order. */
  public List<ILoggingEvent> events() {
    return List.copyOf(appender.list);
  }

  /** Every message so far, formatted, in order. */
  public List<String> messages() {
    return events().stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
  }
}
