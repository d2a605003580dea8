/**
 * {@code reindex}: rebuilds each index behind its alias into a fresh one and moves the alias
 * atomically, once or on a schedule.
 */
package io.github.redisessync.tools.reindex;
