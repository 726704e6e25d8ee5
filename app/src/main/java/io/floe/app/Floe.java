package io.floe.app;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.floe.core.config.FloeConfig;
import io.floe.core.error.ErrorCategory;
import io.floe.core.error.FloeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code floe} command. Exit codes: 0 ok, 1 a check or verdict failed, 2 usage or configuration
 * error, 3 an external service failed, 4 internal error. Errors print one line; stack traces go to
 * {@code <home>/logs/floe.log}.
 */
@Command(
    name = "floe",
    mixinStandardHelpOptions = true,
    // --help and --version on every subcommand too: `floe compact --help` prints compact's usage
    scope = CommandLine.ScopeType.INHERIT,
    versionProvider = Floe.Version.class,
    description = "Lakehouse table maintenance and quality engine on Apache Iceberg.",
    subcommands = {
      UpCommand.class,
      DownCommand.class,
      StatusCommand.class,
      RunCommand.class,
      CheckCommand.class,
      SuggestCommand.class,
      ValidateCommand.class,
      PublishCommand.class,
      HealthCommand.class,
      CompactCommand.class,
      ExpireCommand.class,
      OrphansCommand.class,
      RetainCommand.class,
      MaintainCommand.class,
      ViewsCommand.class,
      AuditCommand.class,
      SuperviseCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:ok",
      "1:a check or verdict failed",
      "2:usage or configuration error",
      "3:an external service failed",
      "4:internal error"
    })
public final class Floe implements Runnable {
  public static final int EXIT_OK = 0;
  public static final int EXIT_CHECK_FAILED = 1;
  public static final int EXIT_USAGE = ErrorCategory.USER.exitCode();
  public static final int EXIT_EXTERNAL = ErrorCategory.EXTERNAL.exitCode();
  public static final int EXIT_INTERNAL = ErrorCategory.INTERNAL.exitCode();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin GlobalOptions options;

  public static void main(String[] args) {
    configureLogFile(args);
    warmUp();
    ClassDataArchive.recordAtExit();
    System.exit(execute(args));
  }

  /**
   * Starts, on a thread of its own, one-time set-ups a command would otherwise pay on its main
   * thread one after the other: the logging back end, the JDK's default TLS context, which
   * Iceberg's REST client builds even for a plain-HTTP catalog (reading the trust store, about 0.1
   * s), and what the class-data archive's count at exit needs ({@link ClassDataArchive#warmUp}).
   * They then overlap with parsing the command line and the configuration: {@code floe health} of a
   * table on the embedded stack took 1.16-1.45 s (median 1.29 s) against 1.22-1.61 s (median 1.44
   * s) without, alternating. Whatever fails here fails again, and is reported, where the command
   * needs it.
   */
  private static void warmUp() {
    Thread thread =
        new Thread(
            () -> {
              try {
                LoggerFactory.getILoggerFactory();
                SSLContext.getDefault();
                ClassDataArchive.warmUp();
              } catch (GeneralSecurityException | RuntimeException | LinkageError e) {
                // the command meets it where it needs it
              }
            },
            "floe-warm-up");
    thread.setDaemon(true);
    thread.start();
  }

  /** Runs the command line and returns its exit code, printing errors as one line. */
  public static int execute(String... args) {
    CommandLine commandLine = new CommandLine(new Floe());
    // the terminal's standard error, when System.err has been turned into the log
    commandLine.setErr(
        new PrintWriter(
            new OutputStreamWriter(terminalErr != null ? terminalErr : System.err, UTF_8), true));
    commandLine.setExecutionExceptionHandler(Floe::handleError);
    commandLine.setParameterExceptionHandler(
        (exception, arguments) -> {
          commandLine.getErr().println("floe: " + exception.getMessage());
          commandLine
              .getErr()
              .println(
                  "Try '%s --help' for usage."
                      .formatted(exception.getCommandLine().getCommandSpec().qualifiedName()));
          return EXIT_USAGE;
        });
    return commandLine.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  private static int handleError(
      Exception exception, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    Logger log = LoggerFactory.getLogger(Floe.class);
    if (exception instanceof FloeException floe) {
      log.error("{} failed: {}", commandLine.getCommandName(), floe.getMessage(), floe);
      commandLine.getErr().println("floe: " + floe.getMessage());
      return floe.exitCode();
    }
    log.error("{} failed with an internal error", commandLine.getCommandName(), exception);
    commandLine
        .getErr()
        .println(
            "floe: internal error: %s (details in %s)"
                .formatted(oneLine(exception), logFile != null ? logFile : "the log"));
    return EXIT_INTERNAL;
  }

  static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.lines().findFirst().orElse("").trim();
  }

  private static final String LOG_FILE_PROPERTY = "org.slf4j.simpleLogger.logFile";

  /** The standard error the user sees, once {@link #configureLogFile} made System.err the log. */
  private static PrintStream terminalErr;

  /** Where this process logs, once known. */
  private static Path logFile;

  /**
   * Sends the log to {@code <home>/logs/floe.log} ({@link LogFile}: appended to by every command,
   * rotated by size) before any logger exists: the home comes from {@code --home}, else {@code
   * FLOE_HOME}, else {@code ./.floe}. Help and version log nothing. The logger writes to
   * System.err, which becomes the log file; the one-line errors for the user still go to the
   * terminal.
   */
  static void configureLogFile(String[] args) {
    if (System.getProperty(LOG_FILE_PROPERTY) != null) {
      return;
    }
    List<String> arguments = List.of(args);
    if (arguments.isEmpty()
        || arguments.stream()
            .anyMatch(a -> List.of("-h", "--help", "-V", "--version").contains(a))) {
      System.setProperty(LOG_FILE_PROPERTY, "System.err");
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
      return;
    }
    Path logs = homeFor(arguments).resolve("logs");
    System.setProperty(LOG_FILE_PROPERTY, "System.err");
    try {
      Files.createDirectories(logs);
      Path file = logs.resolve("floe.log");
      PrintStream log = LogFile.open(file, ProcessHandle.current().pid());
      terminalErr = System.err;
      logFile = file;
      System.setErr(log);
    } catch (IOException e) {
      // no log file: the log goes to the terminal's standard error
    }
  }

  /** The home the command will use: {@code --home}, else the configuration's (or its default). */
  private static Path homeFor(List<String> arguments) {
    int index = arguments.indexOf("--home");
    if (index >= 0 && index + 1 < arguments.size()) {
      return Path.of(arguments.get(index + 1));
    }
    int config = Math.max(arguments.indexOf("--config"), arguments.indexOf("-c"));
    try {
      FloeConfig loaded =
          config >= 0 && config + 1 < arguments.size()
              ? FloeConfig.load(Path.of(arguments.get(config + 1)))
              : FloeConfig.loadOrDefaults(Path.of(FloeConfig.DEFAULT_FILE));
      return loaded.home();
    } catch (RuntimeException e) {
      // the command itself reports the bad configuration; its log goes to the default home
      String home = System.getenv(FloeConfig.FLOE_HOME_ENV);
      return Path.of(home == null || home.isBlank() ? ".floe" : home);
    }
  }

  /** The version written into the build. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties properties = new Properties();
      try (InputStream in = Floe.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          properties.load(in);
        }
      }
      return new String[] {
        "floe " + properties.getProperty("version", "unknown"),
        "Iceberg 1.12.0, Spark 3.5.9, Trino 476, Java " + Runtime.version()
      };
    }
  }
}
