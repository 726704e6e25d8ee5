package io.floe.core.config;

/** Whether Floe runs a service itself (the embedded stack) or uses one that already exists. */
public enum Deployment {
  /** Floe starts the service as a child process under its home directory. */
  EMBEDDED,
  /** The service runs elsewhere; Floe connects to it with the configured URI and credentials. */
  EXTERNAL
}
