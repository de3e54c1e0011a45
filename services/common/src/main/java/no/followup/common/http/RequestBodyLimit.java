package no.followup.common.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.servlet.FilterHolder;

/**
 * A bound on every request body a Javalin application reads, however it is sent. Javalin compares a
 * declared Content-Length with its limit, but reads a chunked body whole, and its multipart support
 * writes every part to disk before any limit applies: a caller (before sign-in, on a sign-in form)
 * could fill the heap or the disk. Here a declared length over the bound is answered 413 at once, a
 * body that turns out longer stops being read at the bound (413 too), and multipart, which no form
 * of this project sends, is 415. Written by hand: neither Javalin nor Jetty 11 bounds a chunked body.
 */
public final class RequestBodyLimit implements Filter {

  private final long maxBytes;

  private RequestBodyLimit(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Puts the bound into {@code cfg}; call {@link #answerTooLarge} on the application it creates. */
  public static void install(JavalinConfig cfg, long maxBytes) {
    cfg.http.maxRequestSize = maxBytes;
    cfg.jetty.modifyServletContextHandler(handler -> handler.addFilter(new FilterHolder(new RequestBodyLimit(maxBytes)),
        "/*", EnumSet.of(DispatcherType.REQUEST)));
  }

  /** Answers a body found too long while a handler read it: 413, as for one declared too long. */
  public static void answerTooLarge(Javalin app) {
    app.exception(TooLarge.class, (e, ctx) -> ctx.status(413).json(Map.of("error", e.getMessage())));
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) request;
    String type = http.getContentType();
    if (type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
      refuse((HttpServletResponse) response, 415, "multipart request bodies are not accepted");
      return;
    }
    if (http.getContentLengthLong() > maxBytes) {
      refuse((HttpServletResponse) response, 413, tooLargeMessage());
      return;
    }
    chain.doFilter(new Bounded(http), response);
  }

  private String tooLargeMessage() {
    return "request body larger than " + maxBytes + " bytes";
  }

  private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    // the message is one of ours, never the caller's
    response.getOutputStream().write(("{\"error\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
  }

  /** A body read past the bound. */
  public static final class TooLarge extends RuntimeException {
    TooLarge(String message) {
      super(message);
    }
  }

  private final class Bounded extends HttpServletRequestWrapper {
    private ServletInputStream bounded;

    Bounded(HttpServletRequest request) {
      super(request);
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (bounded == null) {
        bounded = new BoundedInputStream(super.getInputStream());
      }
      return bounded;
    }

    @Override
    public BufferedReader getReader() throws IOException {
      String encoding = getCharacterEncoding();
      return new BufferedReader(new InputStreamReader(getInputStream(),
          encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding)));
    }
  }

  private final class BoundedInputStream extends ServletInputStream {
    private final ServletInputStream in;
    private long read;

    BoundedInputStream(ServletInputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int bytes) {
      read += bytes;
      if (read > maxBytes) {
        throw new TooLarge(tooLargeMessage());
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
