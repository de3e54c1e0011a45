package no.followup.dashboard.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import no.followup.common.audit.AuditLog;
import no.followup.common.auth.Caller;
import no.followup.dashboard.model.ReadModel;
import no.followup.dashboard.views.Filters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes each connected page its view over server-sent events. A change in the read model marks
 * every connection dirty; a short tick recomputes the view of each dirty connection, for that
 * connection's user and filters, and sends it only when it differs from what the page has. A send
 * of a participant-level view is audited like any other read. Views that depend on the clock
 * (meetings today, days without contact) are recomputed periodically as well.
 */
public final class LiveUpdates implements ReadModel.Listener, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LiveUpdates.class);
  private static final Duration HEARTBEAT = Duration.ofSeconds(15);
  private static final Duration CLOCK_REFRESH = Duration.ofSeconds(30);
  /**
   * Live pages one signed-in person (or service) may hold open at once. Every page is rendered on
   * one thread and keeps its last view in memory, so one caller opening thousands would slow every
   * other's updates and fill the heap. Room for many tabs, and for pages closed but not yet noticed
   * (a closed page is seen at the next write to it, up to a heartbeat later), and for everyone on a
   * local stack, who all sign in as the one local user.
   */
  static final int MAX_STREAMS_PER_CALLER = 32;
  /** Live pages open at once in all: an office's staff, with room to spare. */
  static final int MAX_STREAMS = 1_000;

  /** Computes a view for a user; throws when the user may not have it. */
  @FunctionalInterface
  public interface Renderer {
    Object render(Caller user, String view, Filters filters);
  }

  private final class Subscription {
    final SseClient client;
    final Caller user;
    final String view;
    final Filters filters;
    final java.util.function.BooleanSupplier stillSignedIn;
    final Supplier<Object> render;
    final AtomicBoolean dirty = new AtomicBoolean(true);
    String lastSent; // the view without its timestamp; guarded by this

    Subscription(SseClient client, Caller user, String view, Filters filters, java.util.function.BooleanSupplier stillSignedIn,
        Supplier<Object> render) {
      this.client = client;
      this.user = user;
      this.view = view;
      this.filters = filters;
      this.stillSignedIn = stillSignedIn;
      this.render = render;
    }

    /** Ends the stream when its sign-in is gone (logged out, session or token expired). */
    private boolean endIfSignedOut() {
      if (stillSignedIn.getAsBoolean()) {
        return false;
      }
      client.sendEvent("failure", Json.write(Json.MAPPER.createObjectNode().put("view", view).put("error", "signed out")));
      client.close();
      subscriptions.remove(this);
      return true;
    }

    synchronized void push() {
      if (client.terminated()) {
        subscriptions.remove(this);
        return;
      }
      if (endIfSignedOut()) {
        return;
      }
      Object data;
      try {
        data = render.get();
      } catch (RuntimeException e) {
        ObjectNode error = Json.MAPPER.createObjectNode().put("view", view).put("error", e.getMessage());
        client.sendEvent("failure", Json.write(error));
        client.close();
        subscriptions.remove(this);
        return;
      }
      ObjectNode node = Json.MAPPER.valueToTree(data);
      ObjectNode comparable = node.deepCopy();
      comparable.remove("asOf");
      String withoutTime = comparable.toString();
      if (withoutTime.equals(lastSent)) {
        return;
      }
      ViewAudit.record(audit, user, "stream", view, filters.asMap(), data);
      ObjectNode message = Json.MAPPER.createObjectNode();
      message.put("view", view);
      message.set("data", node);
      client.sendEvent("view", message.toString());
      lastSent = withoutTime;
    }

    synchronized void heartbeat() {
      if (!client.terminated() && !endIfSignedOut()) {
        client.sendComment("keep-alive");
      }
    }
  }

  private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
  private final Renderer renderer;
  private final AuditLog audit;
  private final ScheduledExecutorService scheduler;

  public LiveUpdates(Renderer renderer, AuditLog audit, Duration pushInterval) {
    this.renderer = renderer;
    this.audit = audit;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dashboard-live-updates");
      t.setDaemon(true);
      return t;
    });
    long tick = Math.max(10, pushInterval.toMillis());
    scheduler.scheduleWithFixedDelay(this::pushDirty, tick, tick, TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(this::changed, CLOCK_REFRESH.toMillis(), CLOCK_REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(this::heartbeats, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Registers a connected page and sends it its view at once. */
  public void connect(SseClient client, Caller user, String view, Filters filters, java.util.function.BooleanSupplier stillSignedIn) {
    connect(client, user, view, filters, stillSignedIn, () -> renderer.render(user, view, filters));
  }

  /** Registers a connected page whose view is computed by {@code render} (a view of its own, such as one participant's page). */
  public void connect(SseClient client, Caller user, String view, Filters filters, java.util.function.BooleanSupplier stillSignedIn,
      Supplier<Object> render) {
    Subscription sub = new Subscription(client, user, view, filters, stillSignedIn, render);
    String refusal;
    synchronized (subscriptions) { // the count and the add as one step: a burst of opens stays within the caps
      refusal = tooMany(user);
      if (refusal == null) {
        subscriptions.add(sub);
      }
    }
    if (refusal != null) {
      // "limit": the page says so and does not reconnect, which would only be refused again
      client.sendEvent("failure", Json.write(Json.MAPPER.createObjectNode().put("view", view).put("error", refusal)
          .put("limit", true)));
      client.close();
      return;
    }
    client.onClose(() -> subscriptions.remove(sub));
    sub.dirty.set(false);
    sub.push();
  }

  /** Why another live page may not be opened for {@code user} now; null when it may. */
  private String tooMany(Caller user) {
    if (subscriptions.size() >= MAX_STREAMS) {
      return "too many live pages are open; try again later";
    }
    long own = subscriptions.stream().filter(sub -> sub.user.id().equals(user.id())).count();
    return own >= MAX_STREAMS_PER_CALLER
        ? "at most " + MAX_STREAMS_PER_CALLER + " live pages at once; close one to open another" : null;
  }

  public int connections() {
    return subscriptions.size();
  }

  @Override
  public void changed() {
    for (Subscription sub : subscriptions) {
      sub.dirty.set(true);
    }
  }

  private void pushDirty() {
    for (Subscription sub : subscriptions) {
      if (sub.dirty.getAndSet(false)) {
        try {
          sub.push();
        } catch (RuntimeException e) {
          log.warn("Live update failed for a {} view: {}", sub.view, e.getClass().getName());
          subscriptions.remove(sub);
        }
      }
    }
  }

  private void heartbeats() {
    for (Subscription sub : subscriptions) {
      try {
        sub.heartbeat();
      } catch (RuntimeException e) {
        subscriptions.remove(sub);
      }
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    for (Subscription sub : subscriptions) {
      try {
        sub.client.close();
      } catch (RuntimeException e) {
        // the connection is gone already
      }
    }
    subscriptions.clear();
  }
}
