package no.followup.dashboard;

import io.javalin.Javalin;
import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import no.followup.common.TopicProvisioner;
import no.followup.common.Topics;
import no.followup.common.audit.AuditLog;
import no.followup.common.auth.SignIn;
import no.followup.common.metrics.ServiceMetrics;
import no.followup.dashboard.auth.AccessPolicy;
import no.followup.dashboard.auth.Authenticator;
import no.followup.dashboard.auth.LocalTokenAuthenticator;
import no.followup.dashboard.forms.EventForms;
import no.followup.dashboard.forms.FormCatalog;
import no.followup.dashboard.model.ReadModel;
import no.followup.dashboard.model.ReadModelConsumer;
import no.followup.dashboard.participant.ParticipantViews;
import no.followup.dashboard.participant.StatusClient;
import no.followup.dashboard.tasks.IntakeClient;
import no.followup.dashboard.tasks.PendingMarks;
import no.followup.dashboard.tasks.TaskActions;
import no.followup.dashboard.views.DashboardViews;
import no.followup.dashboard.web.DashboardHttp;
import no.followup.dashboard.web.LiveUpdates;
import no.followup.dashboard.web.ParticipantHttp;
import no.followup.dashboard.web.Messages;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard: reads the status, tallies, tasks and receipts topics into its local store, serves the page,
 * the JSON API and the live stream. {@link #start} returns once the HTTP server accepts requests
 * (the read model fills in the background; {@code /health/ready} says when it has caught up).
 */
public final class DashboardApp implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DashboardApp.class);

  /** The topics the dashboard reads. */
  public static final List<Topics.TopicSpec> TOPICS =
      List.of(Topics.PARTICIPANT_STATUS, Topics.TALLIES, Topics.TASKS, Topics.DELIVERY_RECEIPTS);

  /** Tasks open now, as the dashboard's read model holds them. */
  public static final String OPEN_TASKS = "followup.tasks.open";
  public static final String REGISTRY_UNAVAILABLE = "followup.dashboard.registry.unavailable";

  private final List<AutoCloseable> resources;
  private final Javalin server;
  private final ReadModelConsumer consumer;

  private DashboardApp(List<AutoCloseable> resources, Javalin server, ReadModelConsumer consumer) {
    this.resources = resources;
    this.server = server;
    this.consumer = consumer;
  }

  public static DashboardApp start(DashboardConfig cfg) {
    List<AutoCloseable> started = new ArrayList<>();
    try {
      ServiceMetrics metrics = ServiceMetrics.create("dashboard");
      started.add(metrics);
      if (cfg.createTopics()) {
        try (Admin admin = Admin.create(cfg.kafka().clientConfig(Map.of(
            AdminClientConfig.CLIENT_ID_CONFIG, "followup-dashboard-admin",
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000)))) {
          new TopicProvisioner(cfg.topicPartitions(), cfg.replicationFactor()).ensure(admin, TOPICS);
        }
      }
      AuditLog audit = new AuditLog(cfg.auditLogPath(), cfg.clock());
      started.add(audit);

      Authenticator auth;
      LocalTokenAuthenticator localLogin = null;
      if (cfg.signIn().signIn() instanceof SignIn.Local local) {
        localLogin = new LocalTokenAuthenticator(local.token(), cfg.sessionTtl(), cfg.clock());
        auth = localLogin;
      } else {
        auth = Authenticator.bearerOnly(cfg.signIn().signIn().authenticator());
      }

      ReadModel model = ReadModel.open(cfg.stateDir());
      started.add(model); // closed last, once nothing reads or writes it any more
      Gauge.builder(OPEN_TASKS, model, ReadModel::openTaskCount)
          .description("Coordinator and team-lead tasks open now").register(metrics.registry());
      AccessPolicy policy = new AccessPolicy();
      PendingMarks pending = new PendingMarks(cfg.clock(), cfg.pendingTimeout());
      DashboardViews views = new DashboardViews(model, policy, pending, cfg.clock(),
          new DashboardViews.Settings(cfg.zone(), cfg.noContactDays(), cfg.missedLookbackDays()));

      // the renderer is bound once the HTTP side exists; both share the same view code
      DashboardHttp[] http = new DashboardHttp[1];
      LiveUpdates live = new LiveUpdates((user, view, filters) -> http[0].render(user, view, filters), audit,
          cfg.pushInterval());
      started.add(0, live);
      model.addListener(live);
      IntakeClient intake = new IntakeClient(cfg.intakeUrl(), cfg.signIn().intakeTokens(cfg.clock()), Duration.ofSeconds(10));
      TaskActions actions = new TaskActions(model, policy, pending, intake, audit, cfg.clock(), live::changed);

      ReadModelConsumer consumer = new ReadModelConsumer(cfg.kafka(), cfg.schemaRegistryUrl(), model, cfg.clock(), metrics);
      // readiness stays up through a registry outage (every instance would go at once): this says it instead
      Gauge.builder(REGISTRY_UNAVAILABLE, consumer, c -> c.registryUnavailable() ? 1 : 0)
          .description("1 while records wait for a schema registry (or data keys) that cannot be reached").register(metrics.registry());
      started.add(0, consumer); // closed even if the HTTP server fails to start
      FormCatalog catalog = new FormCatalog();
      EventForms forms = new EventForms(catalog, model, policy, intake, audit, cfg.zone(), live::changed);
      StatusClient statusClient = new StatusClient(cfg.status().url(),
          cfg.signIn().statusTokens(cfg.clock(), cfg.status().tokenScope()), Duration.ofSeconds(5));
      ParticipantViews participantViews = new ParticipantViews(model, policy, views, forms, catalog, statusClient, cfg.clock());
      http[0] = new DashboardHttp(auth, localLogin, cfg.signIn().loginUrl(), cfg.signIn().cookieSecure(), policy, views,
          actions, audit, new Messages(), live, () -> consumer.caughtUp() && consumer.alive(), cfg.sessionTtl())
          .withParticipants(new ParticipantHttp(participantViews, forms, catalog, live, audit));
      Javalin server = http[0].create();
      metrics.install(server);
      started.add(0, server::stop);
      server.start(cfg.host(), cfg.port());
      consumer.start();
      log.info("Dashboard listening on http://{}:{} ({} sign-in; audit log {})", cfg.host(), server.port(),
          cfg.signIn().signIn().local() ? "local token" : "OIDC", cfg.auditLogPath());
      return new DashboardApp(started, server, consumer);
    } catch (RuntimeException e) {
      closeAll(started);
      throw e;
    }
  }

  public int port() {
    return server.port();
  }

  /** True once the read model has read everything that was on the topics at start. */
  public boolean ready() {
    return consumer.caughtUp() && consumer.alive();
  }

  @Override
  public void close() {
    closeAll(resources);
    log.info("Dashboard stopped");
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        log.warn("Failed to close {}: {}", resource, e.toString());
      }
    }
  }
}
