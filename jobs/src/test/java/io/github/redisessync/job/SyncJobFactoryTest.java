package io.github.redisessync.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.job.mapping.IndexRule;
import io.github.redisessync.job.mapping.KeyPattern;
import io.github.redisessync.job.testing.TestSetups;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.runtime.checkpoint.CheckpointRetentionPolicy;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.streaming.api.environment.CheckpointConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Which jobs sweep after catch-up markers (only those that tail without end), and how their
 * checkpoints fail.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SyncJobFactoryTest {

    private static final SyncJobSetup SNAPSHOT =
            TestSetups.builder(
                            "redis://127.0.0.1:1",
                            "http://127.0.0.1:1",
                            List.of(
                                    new IndexRule(
                                            KeyPattern.of("user:*"),
                                            "users",
                                            IndexDefinition.dynamic())))
                    .build();

    @Test
    void anUnboundedTailingJobSweeps() {
        SyncJobSetup tailing = SNAPSHOT.withTail(RedisTailMode.KEYSPACE, null, false, false);
        assertThat(SyncJobFactory.sweeps(tailing)).isTrue();
        assertThat(operators(tailing)).contains("catch-up-sweep");
        assertThat(
                        SyncJobFactory.sweeps(
                                SNAPSHOT.withTail(RedisTailMode.CHANNEL, "changes", false, false)))
                .isTrue();
    }

    /**
     * A bounded job would wait at the end of its input for a sweep whose checkpoint never comes
     * (until the sweep's one-hour timeout), so it has none.
     */
    @Test
    void aBoundedJobHasNoSweepToWaitFor() {
        SyncJobSetup untilSynced = SNAPSHOT.withTail(RedisTailMode.KEYSPACE, null, false, true);
        assertThat(SyncJobFactory.sweeps(untilSynced)).isFalse();
        assertThat(operators(untilSynced)).doesNotContain("catch-up-sweep");
        assertThat(SyncJobFactory.sweeps(SNAPSHOT)).isFalse();
        assertThat(operators(SNAPSHOT)).doesNotContain("catch-up-sweep");
    }

    /**
     * The defaults reach Flink: a stuck checkpoint fails, and the fourth in a row fails the job.
     */
    @Test
    void checkpointsTimeOutAndFailTheJobAfterTheToleratedFailures() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SyncJobFactory.configure(env, SNAPSHOT);
        CheckpointConfig checkpoints = env.getCheckpointConfig();
        assertThat(checkpoints.getCheckpointTimeout()).isEqualTo(Duration.ofMinutes(2).toMillis());
        assertThat(checkpoints.getTolerableCheckpointFailureNumber()).isEqualTo(3);

        SyncJobSetup strict =
                TestSetups.builder(
                                SNAPSHOT.redisUri(), SNAPSHOT.elasticsearchUrl(), SNAPSHOT.rules())
                        .checkpointFailures(Duration.ofSeconds(30), 0)
                        .build();
        SyncJobFactory.configure(env, strict);
        assertThat(checkpoints.getCheckpointTimeout()).isEqualTo(30_000);
        assertThat(checkpoints.getTolerableCheckpointFailureNumber()).isZero();
    }

    /** A cancelled or killed job leaves its latest checkpoint to resume from. */
    @Test
    void checkpointsAreRetainedInTheConfiguredDirectory() {
        SyncJobSetup settings =
                TestSetups.builder(
                                SNAPSHOT.redisUri(), SNAPSHOT.elasticsearchUrl(), SNAPSHOT.rules())
                        .checkpointDir("file:///tmp/redis-es-sync-checkpoints")
                        .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SyncJobFactory.configure(env, settings);
        SyncJobFactory.create(settings).addTo(env);
        JobGraph graph = env.getStreamGraph().getJobGraph();
        assertThat(
                        graph.getCheckpointingSettings()
                                .getCheckpointCoordinatorConfiguration()
                                .getCheckpointRetentionPolicy())
                .isEqualTo(CheckpointRetentionPolicy.RETAIN_ON_CANCELLATION);
        // The JobMaster loads the storage from the job's configuration over the cluster's.
        assertThat(graph.getJobConfiguration().get(CheckpointingOptions.CHECKPOINT_STORAGE))
                .isEqualTo("filesystem");
        assertThat(graph.getJobConfiguration().get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo("file:///tmp/redis-es-sync-checkpoints");
    }

    private static List<String> operators(SyncJobSetup settings) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SyncJobFactory.create(settings).addTo(env);
        return env.getStreamGraph().getStreamNodes().stream()
                .map(StreamNode::getOperatorName)
                .collect(Collectors.toList());
    }
}
