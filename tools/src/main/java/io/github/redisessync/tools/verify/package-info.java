/**
 * {@code verify}: every key in Elasticsearch as the job would write it, and nothing else; {@code
 * --repair} writes the differences.
 */
package io.github.redisessync.tools.verify;
