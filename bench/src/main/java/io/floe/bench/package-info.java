/**
 * Benchmarks. Each is a {@code main} class run by hand or by {@code ./bench/run <Name>}, never by
 * the test suite; it measures Floe and its baseline side by side in one run and prints ratios.
 */
package io.floe.bench;
