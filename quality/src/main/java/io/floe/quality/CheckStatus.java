package io.floe.quality;

/** The outcome of one check. Only {@link #PASS} and {@link #NOT_APPLICABLE} let data through. */
public enum CheckStatus {
  PASS,
  FAIL,
  /** The check could not be evaluated (missing column, unreadable file, ...): fails closed. */
  ERROR,
  /** The check does not apply yet, e.g. an anomaly check without enough history. */
  NOT_APPLICABLE
}
