package no.followup.dashboard;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import no.followup.common.RunUntilShutdown;
import no.followup.common.ServiceLogging;
import no.followup.common.cli.KafkaOptions;
import no.followup.common.cli.TopicOptions;
import no.followup.dashboard.auth.OidcSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** Command line entry point of the dashboard. */
@Command(name = "followup-dashboard", mixinStandardHelpOptions = true,
    description = "Live dashboard (web page, JSON API, server-sent events) over the status, tallies, tasks and receipts topics.")
public final class DashboardMain implements Callable<Integer> {

  @Mixin KafkaOptions kafka;

  @Option(names = "--intake-url", defaultValue = "${env:INTAKE_URL:-http://127.0.0.1:8080}",
      description = "Intake service url; tasks marked done are recorded there (default: ${DEFAULT-VALUE}).")
  String intakeUrl;

  @Option(names = "--http-host", defaultValue = "${env:HTTP_HOST:-127.0.0.1}",
      description = "HTTP bind address (0.0.0.0 in a container; default: ${DEFAULT-VALUE}).")
  String httpHost;

  @Option(names = "--http-port", defaultValue = "${env:HTTP_PORT:-8088}", description = "HTTP port (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--auth", defaultValue = "${env:AUTH_MODE:-}",
      description = "LOCAL (one-time login token) or OIDC (bearer tokens); default OIDC when an issuer is set, else LOCAL.")
  String authMode;

  @Option(names = "--oidc-issuer", defaultValue = "${env:OIDC_ISSUER:-}", description = "Expected token issuer.")
  String oidcIssuer;

  @Option(names = "--oidc-audience", defaultValue = "${env:OIDC_AUDIENCE:-followup-dashboard}",
      description = "Expected token audience (default: ${DEFAULT-VALUE}).")
  String oidcAudience;

  @Option(names = "--oidc-staff-id-claim", defaultValue = "${env:OIDC_STAFF_ID_CLAIM:-sub}",
      description = "Claim with the staff id, e.g. sub or NAVident (default: ${DEFAULT-VALUE}).")
  String staffIdClaim;

  @Option(names = "--oidc-role-claim", defaultValue = "${env:OIDC_ROLE_CLAIM:-roles}",
      description = "Claim with roles or groups (default: ${DEFAULT-VALUE}).")
  String roleClaim;

  @Option(names = "--oidc-role-mapping", defaultValue = "${env:OIDC_ROLE_MAPPING:-" + OidcSettings.DEFAULT_ROLE_MAPPING + "}",
      description = "Claim value to role: value=COORDINATOR|JOB_SPECIALIST|TEAM_LEAD|PROJECT_LEAD, comma-separated.")
  String roleMapping;

  @Option(names = "--oidc-office-claim", defaultValue = "${env:OIDC_OFFICE_CLAIM:-offices}",
      description = "Claim with the staff member's office ids (default: ${DEFAULT-VALUE}).")
  String officeClaim;

  @Option(names = "--oidc-login-url", defaultValue = "${env:OIDC_LOGIN_URL:-}",
      description = "Where pages send a browser without a token (the login proxy); empty answers 401.")
  String loginUrl;

  @Option(names = "--data-dir", defaultValue = "${env:DASHBOARD_DATA_DIR:-${sys:java.io.tmpdir}/followup-dashboard}",
      description = "Directory of the audit log unless --audit-log is given (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--audit-log", defaultValue = "${env:AUDIT_LOG:-}", description = "Audit log file (default: <data-dir>/audit.log).")
  String auditLog;

  @Option(names = "--zone", defaultValue = "${env:DASHBOARD_ZONE:-Europe/Oslo}", description = "Time zone of \"today\".")
  String zone;

  @Mixin TopicOptions topics;

  DashboardConfig config() {
    DashboardConfig cfg = DashboardConfig.defaults(kafka.bootstrapServers(), kafka.schemaRegistryUrl(), intakeUrl, dataDir)
        .withHttp(httpHost, httpPort)
        .withZone(ZoneId.of(zone))
        .withClock(Clock.systemUTC())
        .withTopics(true, topics.partitions(), topics.replicationFactor());
    if (auditLog != null && !auditLog.isBlank()) {
      cfg = cfg.withAuditLogPath(Path.of(auditLog));
    }
    boolean oidc = authMode == null || authMode.isBlank()
        ? oidcIssuer != null && !oidcIssuer.isBlank()
        : DashboardConfig.AuthMode.valueOf(authMode.trim().toUpperCase(java.util.Locale.ROOT)) == DashboardConfig.AuthMode.OIDC;
    if (oidc) {
      cfg = cfg.withOidc(new OidcSettings(oidcIssuer, oidcAudience, staffIdClaim, roleClaim,
          OidcSettings.parseRoleMapping(roleMapping), officeClaim, Duration.ofSeconds(60), null).withLoginUrl(loginUrl));
    }
    return cfg;
  }

  @Override
  public Integer call() throws Exception {
    DashboardApp app = DashboardApp.start(config());
    if (app.loginToken() != null) {
      // printed for the person who started the dashboard, not logged: the token grants access
      System.out.println("Dashboard (local mode): open http://" + displayHost(httpHost) + ":" + app.port()
          + "/login and sign in with the one-time token " + app.loginToken());
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
