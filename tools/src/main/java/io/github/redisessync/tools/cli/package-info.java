/**
 * The {@code redis-es-sync} command line the launcher ({@code bin/redis-es-sync}) runs: the job's
 * {@code sync} and the tools, {@code local}, {@code verify}, {@code reindex}, {@code report} and
 * {@code bench}.
 */
package io.github.redisessync.tools.cli;
