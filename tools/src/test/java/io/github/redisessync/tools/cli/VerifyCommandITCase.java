package io.github.redisessync.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.job.SearchClient;
import io.github.redisessync.testing.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code verify} finds each kind of drift between Redis and Elasticsearch, and repairs it. */
class VerifyCommandITCase {

    @Test
    void findsAndRepairsADeletedDocumentAChangedFieldAnUnsyncedKeyAndAnExtraDocument()
            throws Exception {
        String prefix = TestServices.uniqueName("verify") + ":user:";
        String index = TestServices.uniqueName("verify-users");
        String redisUri = TestServices.redis().uri();
        String esUrl = TestServices.elasticsearch().url();
        RedisClient client = RedisClient.create(redisUri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            for (int i = 0; i < 200; i++) {
                redis.hset(prefix + i, Map.of("name", "Zoë " + i, "city", "Kraków"));
            }
            String[] rule = {"--index", prefix + "*=" + index};
            assertThat(
                            CliRun.run(
                                            "local",
                                            "--redis",
                                            redisUri,
                                            "--es",
                                            esUrl,
                                            "--until-synced",
                                            rule[0],
                                            rule[1])
                                    .exitCode)
                    .isZero();
            assertThat(CliRun.run(verify(redisUri, esUrl, rule)).out)
                    .contains(
                            index
                                    + ": 200 keys in Redis, 200 documents in Elasticsearch: 200 equal,"
                                    + " 0 missing, 0 differing, 0 extra");

            // Drift behind the job's back, one of each kind.
            SearchClient es = new SearchClient(esUrl);
            es.send("DELETE", "/" + index + "/_doc/5?refresh=true", null);
            es.send(
                    "PUT",
                    "/" + index + "/_doc/7?refresh=true",
                    "{\"name\":\"Zoë 7\",\"city\":\"Krakow\"}");
            es.send("PUT", "/" + index + "/_doc/ghost?refresh=true", "{\"name\":\"Ghost\"}");
            redis.hset(prefix + "new", Map.of("name", "Ana", "city", "Lisboa"));

            CliRun drift = CliRun.run(verify(redisUri, esUrl, rule));
            assertThat(drift.exitCode).as(drift.toString()).isEqualTo(1);
            assertThat(drift.out)
                    .contains(
                            index
                                    + ": 201 keys in Redis, 200 documents in Elasticsearch: 198 equal,"
                                    + " 2 missing, 1 differing, 1 extra, 0 dead letters")
                    .contains("missing: " + prefix + "5 (id 5)")
                    .contains("missing: " + prefix + "new (id new)")
                    .contains(
                            "differing: "
                                    + prefix
                                    + "7 (id 7): field 'city' is \"Kraków\" in Redis,"
                                    + " \"Krakow\" in Elasticsearch")
                    .contains("extra: id ghost");

            List<String> repair = new ArrayList<>(List.of(verify(redisUri, esUrl, rule)));
            repair.add("--repair");
            CliRun repaired = CliRun.run(repair.toArray(new String[0]));
            assertThat(repaired.exitCode).as(repaired.toString()).isZero();
            assertThat(repaired.out)
                    .contains("repaired: 3 written, 1 deleted, 0 left to newer writes, 0 failed");

            CliRun after = CliRun.run(verify(redisUri, esUrl, rule));
            assertThat(after.exitCode).as(after.toString()).isZero();
            assertThat(after.out)
                    .contains(
                            index
                                    + ": 201 keys in Redis, 201 documents in"
                                    + " Elasticsearch: 201 equal, 0 missing, 0 differing, 0 extra");
            assertThat(es.allDocuments(index).get("7").path("city").asText()).isEqualTo("Kraków");
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static String[] verify(String redisUri, String esUrl, String[] rule) {
        return new String[] {
            "verify", "--redis", redisUri, "--es", esUrl, rule[0], rule[1], "--batch-size", "64"
        };
    }
}
