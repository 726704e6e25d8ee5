package io.floe.examples;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.pipeline.S3Access;
import io.floe.pipeline.S3Location;
import io.floe.stack.StackEndpoints;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.SplittableRandom;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The deterministic data generators of the examples.
 *
 * <pre>{@code
 * GeneratedBatch batch = Generator.ecommerce(upstream, stack).seed(42).orders(100_000).generate();
 * GeneratedTweets tweets = Generator.tweets().count(1_000_000).writeTo(path);
 * }</pre>
 */
public final class Generator {
  public static final long DEFAULT_SEED = 42;
  public static final long DEFAULT_ORDERS = 100_000;
  public static final String DEFAULT_DATABASE = "shop";
  public static final String DEFAULT_TOPIC = "inventory-events";
  public static final String DEFAULT_CLICKSTREAM_PREFIX = "landing/clickstream/";
  public static final String DEFAULT_TWEETS_KEY = "landing/tweets/tweets.tsv";

  private Generator() {}

  /** The e-commerce upstream: PostgreSQL rows, clickstream files on S3, inventory on Kafka. */
  public static Ecommerce ecommerce(UpstreamEndpoints upstream, StackEndpoints stack) {
    return new Ecommerce(upstream, stack);
  }

  /** The tweets TSV of the file-drop example. */
  public static Tweets tweets() {
    return new Tweets();
  }

  /**
   * One batch of the e-commerce example. The first call on a database writes batch 0 ({@code
   * orders} orders with their users, products, sellers and categories); each further call writes
   * {@code orders} new orders and updates existing orders, products and users with later {@code
   * updated_at}, so incremental ingest and SCD2 have work to do.
   */
  public static final class Ecommerce {
    private final UpstreamEndpoints upstream;
    private final StackEndpoints stack;
    private long seed = DEFAULT_SEED;
    private long orders = DEFAULT_ORDERS;
    private double defectRate;
    private String database = DEFAULT_DATABASE;
    private String topic = DEFAULT_TOPIC;
    private String clickstreamPrefix = DEFAULT_CLICKSTREAM_PREFIX;

    private Ecommerce(UpstreamEndpoints upstream, StackEndpoints stack) {
      this.upstream = upstream;
      this.stack = stack;
    }

    public Ecommerce seed(long value) {
      this.seed = value;
      return this;
    }

    /** New orders in this batch (default {@value #DEFAULT_ORDERS}). */
    public Ecommerce orders(long value) {
      if (value < 1) {
        throw new IllegalArgumentException("orders must be positive: " + value);
      }
      this.orders = value;
      return this;
    }

    /**
     * The probability (0 to 1) of each defect per candidate record: malformed, badly typed and
     * incomplete clickstream lines, duplicated lines and messages, null emails and brands.
     */
    public Ecommerce defectRate(double value) {
      if (!(value >= 0 && value <= 1)) {
        throw new IllegalArgumentException("defect rate must be between 0 and 1: " + value);
      }
      this.defectRate = value;
      return this;
    }

    /** The PostgreSQL database (created when absent). */
    public Ecommerce database(String value) {
      this.database = value;
      return this;
    }

    public Ecommerce topic(String value) {
      this.topic = value;
      return this;
    }

    /**
     * Where clickstream files land: {@code s3://bucket/prefix/} or a prefix in the warehouse
     * bucket.
     */
    public Ecommerce clickstreamPrefix(String value) {
      this.clickstreamPrefix = value.endsWith("/") ? value : value + "/";
      return this;
    }

    /** How many batches this database holds already (0 when it does not exist yet). */
    public int generatedBatches() {
      try (Connection connection =
              DriverManager.getConnection(
                  upstream.jdbcUrl("postgres"),
                  upstream.postgresUser(),
                  upstream.postgresPassword());
          var exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
        exists.setString(1, database);
        try (var rs = exists.executeQuery()) {
          if (!rs.next()) {
            return 0;
          }
        }
      } catch (SQLException e) {
        throw new FloeException(
            ErrorCode.SERVICE_UNREACHABLE, "cannot reach PostgreSQL: " + e.getMessage(), e);
      }
      try (Connection connection =
              DriverManager.getConnection(
                  upstream.jdbcUrl(database),
                  upstream.postgresUser(),
                  upstream.postgresPassword());
          var statement = connection.createStatement();
          var rs =
              statement.executeQuery(
                  "SELECT count(*) FROM information_schema.tables"
                      + " WHERE table_schema = 'floe_generator' AND table_name = 'batches'")) {
        rs.next();
        if (rs.getLong(1) == 0) {
          return 0;
        }
        try (var count = statement.executeQuery("SELECT count(*) FROM floe_generator.batches")) {
          count.next();
          return count.getInt(1);
        }
      } catch (SQLException e) {
        throw new FloeException(
            ErrorCode.SERVICE_FAILED,
            "cannot read the generator's batches in %s: %s".formatted(database, e.getMessage()),
            e);
      }
    }

    public GeneratedBatch generate() {
      EcommerceUpstream.createDatabase(upstream, database);
      S3Location clickstream = S3Access.resolve(stack, clickstreamPrefix);
      try (Connection connection =
              DriverManager.getConnection(
                  upstream.jdbcUrl(database),
                  upstream.postgresUser(),
                  upstream.postgresPassword());
          S3Client s3 = S3Access.client(stack)) {
        return new EcommerceGenerator(
                connection, s3, clickstream, upstream.kafkaBootstrapServers(), topic, defectRate)
            .generate(seed, orders);
      } catch (SQLException e) {
        throw new FloeException(
            ErrorCode.SERVICE_FAILED,
            "generating the e-commerce data in %s failed: %s".formatted(database, e.getMessage()),
            e);
      } catch (IOException e) {
        throw new FloeException(
            ErrorCode.SERVICE_FAILED, "writing clickstream files failed: " + e.getMessage(), e);
      }
    }
  }

  /**
   * Tweets as TSV with the header {@code tweet_id created_at user_id lang text}, spread over 14
   * days from 2026-01-01.
   */
  public static final class Tweets {
    private static final String[] LANGS = {"en", "en", "en", "es", "de", "fr", "ja", "pt"};
    private static final String[] WORDS = {
      "data", "lake", "iceberg", "spark", "trino", "stream", "batch", "query", "table", "snapshot",
      "quality", "gold", "silver", "bronze", "schema", "merge", "commit", "file", "cloud", "fast"
    };
    private long seed = DEFAULT_SEED;
    private long count = 100_000;
    private double defectRate;

    private Tweets() {}

    public Tweets seed(long value) {
      this.seed = value;
      return this;
    }

    public Tweets count(long value) {
      this.count = value;
      return this;
    }

    /** The probability of a malformed line (wrong column count, bad id or timestamp). */
    public Tweets defectRate(double value) {
      this.defectRate = value;
      return this;
    }

    public GeneratedTweets writeTo(Path file) {
      try (OutputStream out = Files.newOutputStream(file)) {
        return writeTo(out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Generates the file locally and puts it at {@code target} in the stack's object store. */
    public GeneratedTweets upload(StackEndpoints stack, String target) {
      try {
        Path temp = Files.createTempFile("floe-tweets-", ".tsv");
        try {
          GeneratedTweets tweets = writeTo(temp);
          S3Location location = S3Access.resolve(stack, target);
          try (S3Client s3 = S3Access.client(stack)) {
            s3.putObject(
                b -> b.bucket(location.bucket()).key(location.key()), RequestBody.fromFile(temp));
          }
          return tweets;
        } finally {
          Files.deleteIfExists(temp);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public GeneratedTweets writeTo(OutputStream target) throws IOException {
      MessageDigest digest;
      try {
        digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
      long bytes = 0;
      long malformed = 0;
      SplittableRandom r = ShopRandom.of(seed, ShopRandom.TWEETS, 0);
      SplittableRandom d = ShopRandom.of(seed, ShopRandom.TWEETS, 1);
      Instant start = EcommerceGenerator.START;
      OutputStream out = new DigestOutputStream(new BufferedOutputStream(target, 1 << 16), digest);
      byte[] header =
          "tweet_id\tcreated_at\tuser_id\tlang\ttext\n".getBytes(StandardCharsets.UTF_8);
      out.write(header);
      bytes += header.length;
      StringBuilder line = new StringBuilder(200);
      for (long i = 0; i < count; i++) {
        line.setLength(0);
        long id = 1_900_000_000_000_000_000L + i;
        String created = start.plusSeconds(r.nextLong(14 * 86_400L)).toString();
        long user = 1 + r.nextLong(Math.max(1, count / 10));
        String lang = LANGS[r.nextInt(LANGS.length)];
        StringBuilder text = new StringBuilder();
        for (int w = 0, n = 3 + r.nextInt(12); w < n; w++) {
          text.append(w == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
        }
        if (defectRate > 0 && d.nextDouble() < defectRate) {
          malformed++;
          switch (d.nextInt(3)) {
            case 0 -> line.append(id).append('\t').append(created).append('\t').append(user);
            case 1 ->
                line.append("id")
                    .append(id)
                    .append('\t')
                    .append(created)
                    .append('\t')
                    .append(user)
                    .append('\t')
                    .append(lang)
                    .append('\t')
                    .append(text);
            default ->
                line.append(id)
                    .append("\tyesterday\t")
                    .append(user)
                    .append('\t')
                    .append(lang)
                    .append('\t')
                    .append(text);
          }
        } else {
          line.append(id)
              .append('\t')
              .append(created)
              .append('\t')
              .append(user)
              .append('\t')
              .append(lang)
              .append('\t')
              .append(text);
        }
        line.append('\n');
        byte[] encoded = line.toString().getBytes(StandardCharsets.UTF_8);
        out.write(encoded);
        bytes += encoded.length;
      }
      out.flush();
      return new GeneratedTweets(
          count, malformed, bytes, HexFormat.of().formatHex(digest.digest()));
    }
  }
}
