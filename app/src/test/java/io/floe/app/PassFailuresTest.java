package io.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class PassFailuresTest {
  @Test
  void aFailureIsSaidOnceUntilItChangesOrPassesWorkAgain() {
    StringWriter text = new StringWriter();
    PrintWriter err = new PrintWriter(text);
    MaintainCommand.PassFailures failures = new MaintainCommand.PassFailures(err);
    RuntimeException down =
        new IllegalStateException(
            "Error occurred while processing HEAD request",
            new RuntimeException("wrapped", new ConnectException("Connection refused")));

    failures.passed();
    failures.failed(down);
    failures.failed(down);
    failures.failed(new IllegalStateException("lease table is gone"));
    failures.passed();
    failures.passed();
    failures.failed(down);

    assertThat(text.toString().lines())
        .containsExactly(
            "floe: warning: a maintenance pass failed: Error occurred while processing HEAD"
                + " request (ConnectException: Connection refused) (the daemon goes on and says"
                + " when passes work again; details in the log)",
            "floe: warning: a maintenance pass failed: lease table is gone (the daemon goes on and"
                + " says when passes work again; details in the log)",
            "floe: maintenance passes work again",
            "floe: warning: a maintenance pass failed: Error occurred while processing HEAD"
                + " request (ConnectException: Connection refused) (the daemon goes on and says"
                + " when passes work again; details in the log)");
  }
}
