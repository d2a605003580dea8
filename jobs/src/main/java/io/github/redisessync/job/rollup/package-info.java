/**
 * Windowed rollups that stay equal to an aggregation over the current documents: a record's
 * contribution is remembered per document and retracted when it changes or goes, and each (rollup,
 * window, group) is written whole under a deterministic id.
 */
package io.github.redisessync.job.rollup;
