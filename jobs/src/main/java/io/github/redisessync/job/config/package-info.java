/**
 * The job's configuration: the YAML schema ({@link io.github.redisessync.job.config.JobConfig},
 * conf/README.md), its overrides (environment, {@code --set}) and what it becomes, a {@link
 * io.github.redisessync.job.SyncJobSetup} with the source's, the sink's and the job's Flink {@code
 * Configuration}s. Part of the job, not of the tools: {@code sync} reads it inside the job jar.
 */
package io.github.redisessync.job.config;
