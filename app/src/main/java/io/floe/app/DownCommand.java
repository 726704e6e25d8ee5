package io.floe.app;

import io.floe.core.config.FloeConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Stops the embedded stack; its data stays in the home for the next {@code floe up}. */
@Command(name = "down", description = "Stop the embedded stack (data is kept).")
final class DownCommand implements Callable<Integer> {
  @ParentCommand Floe floe;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    FloeConfig config = floe.options.load();
    boolean stopped = StackSupervisor.stop(config.home().toAbsolutePath());
    spec.commandLine()
        .getOut()
        .println(
            stopped
                ? "Floe stack stopped."
                : "No Floe stack is running for " + config.home() + ".");
    return Floe.EXIT_OK;
  }
}
