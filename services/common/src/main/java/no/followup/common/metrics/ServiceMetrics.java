package no.followup.common.metrics;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service's Prometheus metrics: a Micrometer registry tagged {@code service=<name>}, with JVM
 * and process metrics bound at creation, Kafka client and Kafka Streams metrics bound by
 * {@code bind*}, HTTP request timings and {@code GET /metrics} installed in a Javalin server by
 * {@link #install}. The service's own figures are registered on {@link #registry()}.
 *
 * <p>Tags carry no participant data: topics, event types, reasons, routes and status codes only.
 * {@code /metrics} is not signed in (scrapers do not sign in) and must, like the health
 * endpoints, stay on the internal network.
 */
public final class ServiceMetrics implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ServiceMetrics.class);

  public static final String PATH = "/metrics";
  public static final String HTTP_REQUESTS = "http.server.requests";
  /** Records the pipeline skipped, each left as a pointer on the dead-letter topic. */
  public static final String DEAD_LETTERS = "followup.dead.letters";
  /**
   * The Kafka Streams property under which a {@link MeterRegistry} reaches the dead-letter handlers
   * (Streams hands the handlers its configuration, objects included).
   */
  public static final String REGISTRY_CONFIG = "followup.metrics.registry";
  /** The Prometheus text format (version 0.0.4), which every scraper accepts. */
  private static final String REQUEST_STARTED = "followup.metrics.started";
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final String service;
  private final PrometheusMeterRegistry registry;
  private final List<AutoCloseable> binders = new ArrayList<>();

  private ServiceMetrics(String service) {
    this.service = service;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("service", service).meterFilter(new StateStoreTags());
    JvmGcMetrics gc = new JvmGcMetrics();
    binders.add(gc);
    for (MeterBinder binder : List.of(new JvmMemoryMetrics(), gc, new JvmThreadMetrics(), new ClassLoaderMetrics(),
        new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics())) {
      binder.bindTo(registry);
    }
  }

  /** A registry for {@code service} (e.g. {@code status}), with JVM metrics bound. */
  public static ServiceMetrics create(String service) {
    return new ServiceMetrics(service);
  }

  public MeterRegistry registry() {
    return registry;
  }

  public String service() {
    return service;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  /** Binds a Kafka Streams application's metrics (consumer lag, process rates, stores) until {@link #close()}. */
  public void bindStreams(KafkaStreams streams) {
    KafkaStreamsMetrics binder = new KafkaStreamsMetrics(streams);
    binder.bindTo(registry);
    binders.add(binder);
  }

  /** Binds a producer's metrics until {@link #close()}. */
  public void bindProducer(Producer<?, ?> producer) {
    KafkaClientMetrics binder = new KafkaClientMetrics(producer);
    binder.bindTo(registry);
    binders.add(binder);
  }

  /** Binds a consumer's metrics (its lag per partition among them) until {@link #close()}. */
  public void bindConsumer(Consumer<?, ?> consumer) {
    KafkaClientMetrics binder = new KafkaClientMetrics(consumer);
    binder.bindTo(registry);
    binders.add(binder);
  }

  /** Streams properties that hand this registry to the dead-letter handlers. */
  public Map<String, Object> streamsConfig() {
    return Map.of(REGISTRY_CONFIG, registry);
  }

  /**
   * Counts one dead-lettered record on {@code registry}, by source topic (never a key, a value or
   * an error message; the pointer on the dead-letter topic has the error, see
   * {@code followup dead-letters list}).
   */
  public static void deadLettered(MeterRegistry registry, String sourceTopic) {
    deadLetters(registry, sourceTopic).increment();
  }

  /**
   * Shows the dead-letter count of each topic this service reads at 0 from the start: an alert on
   * its increase then sees the first dead letter, which a series born at 1 would hide.
   */
  public void countDeadLettersOf(Collection<String> sourceTopics) {
    sourceTopics.forEach(topic -> deadLetters(registry, topic));
  }

  private static Counter deadLetters(MeterRegistry registry, String sourceTopic) {
    return Counter.builder(DEAD_LETTERS)
        .description("Records skipped and left as a pointer on the dead-letter topic")
        .tag("source_topic", sourceTopic == null ? "" : sourceTopic)
        .register(registry);
  }

  /** The registry handed over by {@link #streamsConfig()}, else Micrometer's global one (counts nowhere unless set up). */
  public static MeterRegistry registryFrom(Map<String, ?> configs) {
    Object configured = configs == null ? null : configs.get(REGISTRY_CONFIG);
    return configured instanceof MeterRegistry given ? given : Metrics.globalRegistry;
  }

  /**
   * Serves {@code GET /metrics} (Prometheus text format) on {@code app} and times every request,
   * tagged with method, route template (never the path itself: it can hold ids), status and outcome.
   * Call before the server starts.
   */
  public void install(Javalin app) {
    app.before(ctx -> ctx.attribute(REQUEST_STARTED, System.nanoTime()));
    app.after(this::recordRequest);
    app.get(PATH, ctx -> ctx.contentType(CONTENT_TYPE).result(scrape()));
  }

  private void recordRequest(Context ctx) {
    Long started = ctx.attribute(REQUEST_STARTED);
    if (started == null) {
      return;
    }
    int status = ctx.statusCode();
    Timer.builder(HTTP_REQUESTS)
        .description("HTTP requests served")
        .tag("method", ctx.method().name())
        .tag("uri", route(ctx))
        .tag("status", String.valueOf(status))
        .tag("outcome", status >= 500 ? "SERVER_ERROR" : status >= 400 ? "CLIENT_ERROR" : status >= 300 ? "REDIRECTION" : "SUCCESS")
        .register(registry)
        .record(Duration.ofNanos(System.nanoTime() - started));
  }

  /** The matched route's template, or {@code UNMATCHED}: unknown paths must not each become a time series. */
  private static String route(Context ctx) {
    try {
      String path = ctx.endpointHandlerPath();
      // an unmatched request reads as a sentence here, not as a path
      return path != null && path.startsWith("/") ? path : "UNMATCHED";
    } catch (RuntimeException none) {
      return "UNMATCHED";
    }
  }

  @Override
  public void close() {
    for (AutoCloseable binder : binders) {
      try {
        binder.close();
      } catch (Exception e) {
        log.debug("while closing a metrics binder: {}", e.toString());
      }
    }
    registry.close();
  }

}
