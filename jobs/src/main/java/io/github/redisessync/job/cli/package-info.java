/**
 * The job jar's command line: {@code sync} ({@link io.github.redisessync.job.cli.SyncCommand}) and
 * its options, and {@link io.github.redisessync.job.cli.CommandRunner}, which runs it and the
 * tools' whole {@code redis-es-sync} command line with the same exit codes.
 */
package io.github.redisessync.job.cli;
