/**
 * {@code local}: the job in a MiniCluster on this machine, against given servers or embedded ones,
 * with its demo datasets, progress report, stall check and a state directory to resume from.
 */
package io.github.redisessync.tools.local;
