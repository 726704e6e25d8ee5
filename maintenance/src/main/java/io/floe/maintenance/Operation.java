package io.floe.maintenance;

/** The maintenance operations, in the order {@code floe maintain} runs them. */
public enum Operation {
  /** Drop rows older than the table's retention (before compaction, so it never rewrites them). */
  RETAIN,
  COMPACT,
  REWRITE_MANIFESTS,
  EXPIRE,
  ORPHANS
}
