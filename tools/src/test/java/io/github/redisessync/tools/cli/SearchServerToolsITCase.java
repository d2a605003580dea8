package io.github.redisessync.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisessync.connector.elasticsearch.SearchServerInfo;
import io.github.redisessync.job.SearchClient;
import io.github.redisessync.job.testing.SearchServerTest;
import io.github.redisessync.testing.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tools suite, run by a subclass per server kind and version, each on a server of its own that
 * the build starts from the official distribution ({@code job.sink.SearchServerSinkITCase} runs the
 * sink's suite on the same ones): {@code local}, {@code verify --repair} and {@code reindex} run as
 * a user runs them; on the newest of each kind also the sweep and {@code report}.
 */
abstract class SearchServerToolsITCase extends SearchServerTest {

    // No MiniClusterExtension: `local` runs its own local environment, which Flink refuses inside
    // a test environment.

    SearchServerToolsITCase(SearchServerInfo.Kind kind, String version) {
        super(kind, version);
    }

    /**
     * The tools as a user runs them against this server: {@code local --until-synced} syncs a
     * pattern of hashes, {@code verify} agrees, finds a document deleted behind its back and
     * repairs it, and {@code reindex} builds a fresh index behind an alias that {@code verify} then
     * agrees with too.
     */
    @Test
    void localVerifyRepairAndReindexAgreeOnThisServer() throws Exception {
        String prefix = TestServices.uniqueName("server") + ":user:";
        String index = TestServices.uniqueName("server-users");
        String alias = TestServices.uniqueName("server-alias");
        String redisUri = TestServices.redis().uri();
        RedisClient client = RedisClient.create(redisUri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            for (int i = 0; i < 300; i++) {
                redis.hset(
                        prefix + i, Map.of("name", "Zoë " + i, "age", String.valueOf(20 + i % 50)));
            }
            CliRun local =
                    CliRun.run(
                            "local",
                            "--redis",
                            redisUri,
                            "--es",
                            url(),
                            "--until-synced",
                            "--index",
                            prefix + "*=" + index);
            assertThat(local.exitCode).as(local.toString()).isZero();
            CliRun equal = CliRun.run(verify(redisUri, prefix, index));
            assertThat(equal.exitCode).as(equal.toString()).isZero();
            assertThat(equal.out).contains(index + ": 300 keys in Redis, 300 documents");

            new SearchClient(url()).send("DELETE", "/" + index + "/_doc/5?refresh=true", null);
            CliRun drift = CliRun.run(verify(redisUri, prefix, index));
            assertThat(drift.exitCode).as(drift.toString()).isEqualTo(1);
            assertThat(drift.out).contains("missing: " + prefix + "5 (id 5)");
            List<String> repair = new ArrayList<>(List.of(verify(redisUri, prefix, index)));
            repair.add("--repair");
            CliRun repaired = CliRun.run(repair.toArray(new String[0]));
            assertThat(repaired.exitCode).as(repaired.toString()).isZero();
            Map<String, JsonNode> repairedDocuments = new SearchClient(url()).allDocuments(index);
            assertThat(repairedDocuments).hasSize(300);
            assertThat(repairedDocuments.get("5").path("name").asText()).isEqualTo("Zoë 5");

            CliRun reindex =
                    CliRun.run(
                            "reindex",
                            "--redis",
                            redisUri,
                            "--es",
                            url(),
                            "--index",
                            prefix + "*=" + alias);
            assertThat(reindex.exitCode).as(reindex.toString()).isZero();
            CliRun behindAlias = CliRun.run(verify(redisUri, prefix, alias));
            assertThat(behindAlias.exitCode).as(behindAlias.toString()).isZero();
            JsonNode aliases = new SearchClient(url()).send("GET", "/_alias/" + alias, null);
            assertThat(aliases.fieldNames().next()).startsWith(alias + "-");
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private String[] verify(String redisUri, String prefix, String index) {
        return new String[] {
            "verify", "--redis", redisUri, "--es", url(), "--index", prefix + "*=" + index
        };
    }
}
