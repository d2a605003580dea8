package io.github.redisessync.tools.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.connector.redis.source.RedisSource;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.job.testing.Await;
import io.github.redisessync.job.testing.MiniClusters;
import io.github.redisessync.testing.TestServices;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What {@code local} sees of a checkpoint that cannot complete, on a MiniCluster with the reporter
 * {@code local} configures and a real Redis source: the gauges answer while the source's task is
 * blocked, the {@link StallCheck} calls it a stall after 3 intervals, and no longer once the
 * checkpoint goes through.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LocalStallITCase {

    private static final Duration INTERVAL = Duration.ofMillis(300);
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** While set, a checkpoint waits in the source's chain until it is counted down. */
    private static final AtomicReference<CountDownLatch> GATE = new AtomicReference<>();

    private static final Configuration CLUSTER = new Configuration();
    private static final LivenessGauges LIVENESS = LivenessGauges.register(CLUSTER);

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots(CLUSTER);

    @AfterAll
    static void unregister() {
        LIVENESS.close();
    }

    @Test
    void aCheckpointThatCannotCompleteIsAStallUntilItGoesThrough() throws Exception {
        String name = TestServices.uniqueName("stall");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.enableCheckpointing(INTERVAL.toMillis());
        // A channel tail needs no notify-keyspace-events on the server.
        RedisSource source =
                RedisSource.builder()
                        .setRedisUri(TestServices.redis().uri())
                        .setKeyPatterns(List.of(name + ":*"))
                        .setTailMode(RedisTailMode.CHANNEL)
                        .setTailChannel(name)
                        .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "redis")
                .map(new HoldsCheckpointsAtTheGate())
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync("stall");
        StallCheck stalls = new StallCheck(INTERVAL, true, System.nanoTime());
        try {
            Await.until(
                    "a completed checkpoint and a subscribed tail",
                    WAIT,
                    () -> {
                        LivenessGauges.Readings r = LIVENESS.read();
                        return stalls.check(r, System.nanoTime()).isEmpty()
                                && r.secondsSinceCheckpoint != null
                                && r.secondsSinceCheckpoint < INTERVAL.toSeconds() + 1
                                && r.tailsSubscribed.containsValue(true);
                    });

            CountDownLatch gate = new CountDownLatch(1);
            GATE.set(gate);
            AtomicReference<List<String>> reasons = new AtomicReference<>(List.of());
            Await.until(
                    "the stall to be seen",
                    WAIT,
                    () -> {
                        reasons.set(stalls.check(LIVENESS.read(), System.nanoTime()));
                        return !reasons.get().isEmpty();
                    });
            // The source's task is blocked, its fetcher and pub/sub connection are not.
            assertThat(reasons.get()).singleElement().asString().startsWith("no checkpoint");

            GATE.set(null);
            gate.countDown();
            Await.until(
                    "the stall to end",
                    WAIT,
                    () -> stalls.check(LIVENESS.read(), System.nanoTime()).isEmpty());
        } finally {
            GATE.set(null);
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    /** Passes records on; its snapshot waits at {@link #GATE} (at most a minute) while set. */
    private static final class HoldsCheckpointsAtTheGate
            implements MapFunction<RedisRecord, RedisRecord>, CheckpointedFunction {
        @Override
        public RedisRecord map(RedisRecord value) {
            return value;
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) throws Exception {
            CountDownLatch gate = GATE.get();
            if (gate != null) {
                gate.await(60, TimeUnit.SECONDS);
            }
        }

        @Override
        public void initializeState(FunctionInitializationContext context) {}
    }
}
