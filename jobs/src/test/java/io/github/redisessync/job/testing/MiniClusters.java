package io.github.redisessync.job.testing;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The Flink MiniCluster the job ITCases run on: one TaskManager with two slots, enough for the
 * jobs' parallelism 2. Register it as {@code @RegisterExtension static final}.
 */
public final class MiniClusters {

    private MiniClusters() {}

    /** Two slots, default configuration, no reporter. */
    public static MiniClusterExtension twoSlots() {
        return twoSlots(new Configuration());
    }

    /** Two slots whose metrics {@code reporter} sees (read them with {@link Metrics}). */
    public static MiniClusterExtension twoSlots(InMemoryReporter reporter) {
        return twoSlots(reporter.addToConfiguration(new Configuration()));
    }

    /** Two slots with a cluster configuration of the test's own. */
    public static MiniClusterExtension twoSlots(Configuration configuration) {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(2)
                        .setConfiguration(configuration)
                        .build());
    }
}
