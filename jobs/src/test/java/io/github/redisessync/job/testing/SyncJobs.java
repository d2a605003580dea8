package io.github.redisessync.job.testing;

import io.github.redisessync.job.SyncJobFactory;
import io.github.redisessync.job.SyncJobSetup;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Starts the whole sync job, as the CLI builds it, on the test's MiniCluster. */
public final class SyncJobs {

    private SyncJobs() {}

    /** The job of {@code settings} at parallelism 2, submitted without waiting for its end. */
    public static JobClient start(SyncJobSetup settings, String name) throws Exception {
        return start(settings, new Configuration(), name);
    }

    /** The same with a job configuration, as checkpoint directory or restore path. */
    public static JobClient start(SyncJobSetup settings, Configuration config, String name)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(2);
        SyncJobFactory.configure(env, settings);
        SyncJobFactory.create(settings).addTo(env);
        return env.executeAsync(name);
    }
}
