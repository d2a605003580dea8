/**
 * {@code bench}: benchmarks of the source against a plain Lettuce baseline measured in the same
 * run.
 */
package io.github.redisessync.tools.bench;
