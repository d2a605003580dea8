/**
 * What the ITCases of the job and of the tools share: the MiniCluster, starting the sync job,
 * reading its metrics, waiting for a condition, retained checkpoints, a search server of a given
 * version. The tools' tests have them from this module's test-jar; the servers themselves come from
 * the {@code testing} module.
 */
package io.github.redisessync.job.testing;
