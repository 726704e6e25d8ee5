package io.floe.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves one local file over HTTP on 127.0.0.1 with byte-range support, standing in for the remote
 * host a file drop is downloaded from (the tweets example), so the resumable download runs for
 * real.
 */
final class LocalFileServer implements AutoCloseable {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

  private final HttpServer server;
  private final Path file;

  private LocalFileServer(HttpServer server, Path file) {
    this.server = server;
    this.file = file;
  }

  static LocalFileServer serve(Path file) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      LocalFileServer local = new LocalFileServer(server, file);
      server.createContext("/", local::handle);
      server.start();
      return local;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  URI uri() {
    return URI.create(
        "http://127.0.0.1:%d/%s".formatted(server.getAddress().getPort(), file.getFileName()));
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange;
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      long start = 0;
      long end = size - 1;
      String range = exchange.getRequestHeaders().getFirst("Range");
      Matcher matcher = range == null ? null : RANGE.matcher(range.trim());
      boolean partial = matcher != null && matcher.matches();
      if (partial) {
        start = Long.parseLong(matcher.group(1));
        if (!matcher.group(2).isEmpty()) {
          end = Math.min(end, Long.parseLong(matcher.group(2)));
        }
        if (start > end) {
          exchange.getResponseHeaders().set("Content-Range", "bytes */" + size);
          exchange.sendResponseHeaders(416, -1);
          return;
        }
        exchange
            .getResponseHeaders()
            .set("Content-Range", "bytes %d-%d/%d".formatted(start, end, size));
      }
      exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
      long length = end - start + 1;
      if ("HEAD".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
        exchange.sendResponseHeaders(partial ? 206 : 200, -1);
        return;
      }
      exchange.sendResponseHeaders(partial ? 206 : 200, length);
      try (OutputStream out = exchange.getResponseBody()) {
        channel.transferTo(start, length, Channels.newChannel(out));
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
