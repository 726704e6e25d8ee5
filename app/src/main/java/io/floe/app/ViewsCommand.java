package io.floe.app;

import io.floe.core.config.FloeConfig;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.stack.StackEndpoints;
import io.floe.trino.AccessConfig;
import io.floe.trino.AccessRules;
import io.floe.trino.InterfaceView;
import io.floe.trino.InterfaceViews;
import io.floe.trino.ViewSyncResult;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code floe views sync|rules}: the interface views and the access rules that guard them. */
@Command(
    name = "views",
    description = "Interface views in Trino: create or replace them, print the access rules.",
    subcommands = {ViewsCommand.Sync.class, ViewsCommand.Rules.class})
final class ViewsCommand implements Runnable {
  @ParentCommand Floe floe;
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Creates or replaces every declared view as SECURITY DEFINER. */
  @Command(
      name = "sync",
      description =
          "Create or replace the interface views of floe.yaml in Trino (exit 3 if any fails).")
  static final class Sync implements Callable<Integer> {
    @ParentCommand ViewsCommand parent;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      FloeConfig config = parent.floe.options.load();
      List<InterfaceView> views = InterfaceViews.read(config);
      if (views.isEmpty()) {
        out.println("No interface views are declared (views: {} in " + config.source() + ").");
        return Floe.EXIT_OK;
      }
      StackEndpoints endpoints = StackAccess.running(config);
      ViewSyncResult result;
      try (Connection trino = endpoints.openTrino()) {
        result = InterfaceViews.sync(trino, endpoints.trinoCatalog(), views);
      } catch (SQLException e) {
        throw new FloeException(
            ErrorCode.SERVICE_UNREACHABLE,
            "cannot connect to Trino at %s: %s".formatted(endpoints.trinoJdbcUrl(), e.getMessage()),
            e);
      }
      for (ViewSyncResult.SyncedView view : result.views()) {
        out.printf(
            "  %-8s %s.%s.%s%s%n",
            view.status().name().toLowerCase(Locale.ROOT),
            result.catalog(),
            InterfaceView.schema(),
            view.name(),
            view.error().map(error -> "  " + error).orElse(""));
      }
      if (!result.allSynced()) {
        out.flush();
        throw new FloeException(
            ErrorCode.SERVICE_FAILED,
            "%d of %d interface views failed: %s"
                .formatted(
                    result.failed().size(),
                    result.views().size(),
                    result.failed().stream()
                        .map(ViewSyncResult.SyncedView::name)
                        .collect(Collectors.joining(", "))));
      }
      out.printf(
          "%d interface views synced; BI users query them as %s.%s.<view>%n",
          result.views().size(), result.catalog(), InterfaceView.schema());
      return Floe.EXIT_OK;
    }
  }

  /** Prints the rules.json for Trino's file-based access control, e.g. for an external Trino. */
  @Command(
      name = "rules",
      description =
          "Print Trino file-based access-control rules (rules.json) for the access section.")
  static final class Rules implements Callable<Integer> {
    @ParentCommand ViewsCommand parent;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      FloeConfig config = parent.floe.options.load();
      PrintWriter out = spec.commandLine().getOut();
      out.print(AccessRules.render(AccessConfig.read(config), config.trino().catalog()));
      out.flush();
      return Floe.EXIT_OK;
    }
  }
}
