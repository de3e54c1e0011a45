package no.followup.dashboard;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import java.util.function.Function;
import no.followup.common.RunUntilShutdown;
import no.followup.common.ServiceLogging;
import no.followup.common.auth.ClientCredentials;
import no.followup.common.auth.SignIn;
import no.followup.common.cli.KafkaOptions;
import no.followup.common.cli.SignInOptions;
import no.followup.common.cli.TopicOptions;
import no.followup.common.kafka.KafkaConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** Command line entry point of the dashboard. */
@Command(name = "followup-dashboard", mixinStandardHelpOptions = true,
    description = "Live dashboard (web page, JSON API, server-sent events) over the status, tallies, tasks and receipts topics.")
public final class DashboardMain implements Callable<Integer> {

  /** The environment variable of the dashboard's client secret: a command-line argument would show in every process list. */
  static final String CLIENT_SECRET_VARIABLE = "OIDC_CLIENT_SECRET";

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Option(names = "--intake-url", defaultValue = "${env:INTAKE_URL:-http://127.0.0.1:8080}",
      description = "Intake service url; tasks marked done are recorded there (default: ${DEFAULT-VALUE}).")
  String intakeUrl;

  @Option(names = "--status-url", defaultValue = "${env:STATUS_URL:-http://127.0.0.1:8082}",
      description = "Status service url; the participant page's timeline is read there (default: ${DEFAULT-VALUE}).")
  String statusUrl;

  @Option(names = "--status-token-scope", defaultValue = "${env:STATUS_TOKEN_SCOPE:-}",
      description = "OIDC: the scope asked for with the client credentials for the status API, e.g. api://followup-status/.default.")
  String statusTokenScope;

  @Option(names = "--http-host", defaultValue = "${env:HTTP_HOST:-127.0.0.1}",
      description = "HTTP bind address (0.0.0.0 in a container; default: ${DEFAULT-VALUE}).")
  String httpHost;

  @Option(names = "--http-port", defaultValue = "${env:HTTP_PORT:-8088}", description = "HTTP port (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Mixin SignInOptions signIn;

  @Option(names = "--oidc-login-url", defaultValue = "${env:OIDC_LOGIN_URL:-}",
      description = "OIDC: where pages send a browser without a token (the login proxy); empty answers 401.")
  String loginUrl;

  @Option(names = "--oidc-client-id", defaultValue = "${env:OIDC_CLIENT_ID:-}",
      description = "OIDC: the dashboard's client id for its own token to the intake (client credentials; the secret comes"
          + " from OIDC_CLIENT_SECRET).")
  String clientId;

  @Option(names = "--intake-token-scope", defaultValue = "${env:INTAKE_TOKEN_SCOPE:-}",
      description = "OIDC: the scope asked for with the client credentials, e.g. api://followup-intake/.default.")
  String intakeTokenScope;

  @Option(names = "--cookie-secure", arity = "1", defaultValue = "${env:COOKIE_SECURE:-true}",
      description = "Local mode: mark the session cookie Secure (https only), also when a TLS-terminating proxy forwards"
          + " plain http; false only for plain http on this machine (default: ${DEFAULT-VALUE}).")
  boolean cookieSecure;

  @Option(names = "--data-dir", defaultValue = "${env:DASHBOARD_DATA_DIR:-${sys:java.io.tmpdir}/followup-dashboard}",
      description = "Directory of the audit log and the state store unless --audit-log or --state-dir is given"
          + " (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--state-dir", defaultValue = "${env:DASHBOARD_STATE_DIR:-}",
      description = "The read model's store, kept across restarts; every instance needs its own (default: <data-dir>/state).")
  String stateDir;

  @Option(names = "--audit-log", defaultValue = "${env:AUDIT_LOG:-}", description = "Audit log file (default: <data-dir>/audit.log).")
  String auditLog;

  @Option(names = "--zone", defaultValue = "${env:DASHBOARD_ZONE:-Europe/Oslo}", description = "Time zone of \"today\".")
  String zone;

  @Mixin TopicOptions topics;

  /** The settings, secrets read from {@code environment} (variable name to value). */
  DashboardConfig config(Function<String, String> environment) {
    KafkaConnection connection = kafka.connection(environment);
    DashboardConfig cfg = DashboardConfig.defaults(connection.bootstrapServers(), kafka.schemaRegistryUrl(), intakeUrl, dataDir)
        .withKafka(connection)
        .withHttp(httpHost, httpPort)
        .withStatus(new DashboardConfig.StatusService(statusUrl, statusTokenScope))
        .withZone(ZoneId.of(zone))
        .withClock(Clock.systemUTC())
        .withTopics(true, topics.partitions(), topics.replicationFactor());
    if (auditLog != null && !auditLog.isBlank()) {
      cfg = cfg.withAuditLogPath(Path.of(auditLog));
    }
    if (stateDir != null && !stateDir.isBlank()) {
      cfg = cfg.withStateDir(Path.of(stateDir));
    }
    return cfg.withSignIn(dashboardSignIn(signIn.signIn(environment), environment));
  }

  /** The sign-in settings; in OIDC mode the dashboard's own client credentials for the intake are required. */
  private DashboardSignIn dashboardSignIn(SignIn people, Function<String, String> environment) {
    if (people instanceof SignIn.Local local) {
      return DashboardSignIn.local(local.token(), cookieSecure);
    }
    if (clientId == null || clientId.isBlank()) {
      throw new ParameterException(spec.commandLine(), "OIDC_CLIENT_ID (--oidc-client-id) is not set: in OIDC mode the"
          + " dashboard records tasks marked done at the intake with its own client credentials token");
    }
    String secret = environment.apply(CLIENT_SECRET_VARIABLE);
    if (secret == null || secret.isBlank()) {
      throw new ParameterException(spec.commandLine(), CLIENT_SECRET_VARIABLE + " is not set: the secret of the dashboard's"
          + " client " + clientId.trim() + " (the environment only)");
    }
    return DashboardSignIn.oidc(((SignIn.Oidc) people).settings(), loginUrl,
        new ClientCredentials.Settings(signIn.issuer(), clientId.trim(), secret, intakeTokenScope));
  }

  @Override
  public Integer call() throws Exception {
    DashboardConfig config = config(System::getenv);
    DashboardApp app = DashboardApp.start(config);
    if (config.signIn().signIn().local()) {
      System.out.println("Dashboard (local mode): open http://" + displayHost(httpHost) + ":" + app.port()
          + "/login and sign in with the token in " + SignInOptions.TOKEN_VARIABLE);
    }
    return RunUntilShutdown.closeOnShutdown(app, "dashboard");
  }

  private static String displayHost(String host) {
    return host.equals("0.0.0.0") ? "127.0.0.1" : host;
  }

  public static void main(String[] args) {
    ServiceLogging.useServiceConfiguration();
    System.exit(new CommandLine(new DashboardMain()).execute(args));
  }
}
