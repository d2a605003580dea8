/**
 * The job end to end, checked as a user checks it: with {@code verify}'s comparison of Redis and
 * Elasticsearch and {@code report --compare}'s of the rollups; here, beside the tools, since the
 * job's module cannot depend on them.
 */
package io.github.redisessync.tools.endtoend;
