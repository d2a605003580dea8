/**
 * What the job ITCases share: the MiniCluster, starting the sync job, reading its metrics, waiting
 * for a condition, retained checkpoints.
 */
package io.github.redisessync.job.testing;
