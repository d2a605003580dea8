package io.github.redisessync.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.job.SearchClient;
import io.github.redisessync.testing.TestServices;
import io.github.redisessync.tools.cli.CliRun;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code bench sync} end to end on the suite's servers, small: it measures all three figures, the
 * job writes every key, and it leaves neither keys nor indexes of its own behind on servers that
 * others use.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SyncBenchmarkITCase {

    @Test
    void measuresTheSyncAgainstBothBaselinesAndRemovesWhatItMade() throws Exception {
        String redis = TestServices.redis().uri();
        String es = TestServices.elasticsearch().url();

        CliRun bench =
                CliRun.run(
                        "bench",
                        "sync",
                        "--redis",
                        redis,
                        "--es",
                        es,
                        "--keys",
                        "600",
                        "--fields",
                        "4",
                        "--seed-sample",
                        "40");

        assertThat(bench.exitCode).as(bench.toString()).isZero();
        Matcher ratios =
                Pattern.compile("\\(c\\)/\\(a\\) ([0-9.]+) +\\(c\\)/\\(b\\) ([0-9.]+)")
                        .matcher(bench.out);
        assertThat(ratios.find()).as(bench.out).isTrue();
        assertThat(Double.parseDouble(ratios.group(1))).isPositive();
        assertThat(Double.parseDouble(ratios.group(2))).isPositive();
        assertThat(bench.out).containsPattern("job CPU [0-9.]+ us per document");

        RedisClient client = RedisClient.create(redis);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            ScanIterator<String> left =
                    ScanIterator.scan(
                            connection.sync(),
                            ScanArgs.Builder.matches("redis-es-sync-bench-*").limit(1000));
            assertThat(left.hasNext()).as("keys left by the benchmark").isFalse();
        } finally {
            client.shutdown();
        }
        assertThat(
                        new SearchClient(es)
                                .send(
                                        "GET",
                                        "/_cat/indices/redis-es-sync-bench-*?format=json",
                                        null)
                                .size())
                .isZero();
    }
}
