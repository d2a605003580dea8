package io.github.redisessync.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisessync.connector.elasticsearch.ElasticsearchSinkOptions;
import io.github.redisessync.connector.redis.source.RedisDataType;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.job.SyncJobOptions;
import io.github.redisessync.job.SyncJobSetup;
import io.github.redisessync.job.mapping.IndexRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The YAML configuration: the examples in conf/, overrides, and broken files named precisely. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConfigTest {
    private static final Path CONF = Path.of("..", "conf");
    private static final String REDIS = "redis://127.0.0.1:6379";
    private static final String ES = "http://127.0.0.1:9200";
    private static final String USERS =
            "redis: {url: 'redis://127.0.0.1:6379'}\n"
                    + "mappings:\n  - pattern: 'user:*'\n    index: users\n";

    @TempDir Path dir;

    @Test
    void theShopExampleMapsEveryPatternWithItsShape() {
        SyncJobSetup settings = settings(CONF.resolve("shop.yaml"), Map.of());
        assertThat(settings.rules())
                .extracting(IndexRule::index)
                .containsExactly("shop-users", "shop-orders", "shop-products", "shop-sessions");
        IndexRule sessions = settings.rules().get(3);
        assertThat(sessions.pattern().glob()).isEqualTo("session:*:*");
        assertThat(sessions.pattern().documentId("session:7:s9")).isEqualTo("7-s9");
        assertThat(settings.rules().get(2).shape().redisType()).isEqualTo(RedisDataType.STRING);
        assertThat(settings.rollups()).hasSize(1);
        assertThat(settings.source().get(RedisSourceOptions.READ_MAX_VALUE_BYTES))
                .isEqualTo(1_048_576);
        assertThat(settings.redisUri()).isEqualTo(REDIS + "/0");
        assertThat(settings.sink().get(ElasticsearchSinkOptions.BULK_FLUSH_BACKOFF_DELAY))
                .isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void theDemoExampleIsTheDefault() {
        SyncJobSetup fromFile = settings(CONF.resolve("demo.yaml"), Map.of());
        SyncJobSetup none = settings(null, Map.of());
        assertThat(fromFile.rules()).hasToString("[user:{id} -> users, order:{id} -> orders]");
        assertThat(none.rules()).hasToString("[user:* -> users, order:* -> orders]");
        for (SyncJobSetup s : List.of(fromFile, none)) {
            assertThat(s.rules().get(0).definition().fieldTypes()).containsEntry("age", "integer");
            assertThat(s.source().get(RedisSourceOptions.TAIL_MODE))
                    .isEqualTo(RedisTailMode.KEYSPACE);
            assertThat(s.source().get(RedisSourceOptions.SCAN_COUNT)).isEqualTo(1000);
        }
    }

    @Test
    void overridesApplyFileThenEnvironmentThenSetThenOptions() throws IOException {
        Path file =
                write(USERS.substring(USERS.indexOf('\n') + 1) + "source:\n  scan-count: 1000\n");
        Map<String, String> env =
                Map.of(
                        "REDIS_ES_SYNC_SOURCE_SCAN_COUNT", "700",
                        "REDIS_ES_SYNC_SINK_BULK_FLUSH_MAX_ACTIONS", "42",
                        "REDIS_ES_SYNC_MAPPINGS_0_INDEX", "people",
                        "REDIS_ES_SYNC_HEAP", "1g",
                        "REDIS_URL", "redis://10.0.0.1:6379");
        assertThat(
                        load(file, Map.of("REDIS_URL", REDIS))
                                .source()
                                .get(RedisSourceOptions.SCAN_COUNT))
                .isEqualTo(1000);
        SyncJobSetup fromEnv = load(file, env);
        assertThat(fromEnv.source().get(RedisSourceOptions.SCAN_COUNT)).isEqualTo(700);
        assertThat(fromEnv.sink().get(ElasticsearchSinkOptions.BULK_FLUSH_MAX_ACTIONS))
                .isEqualTo(42);
        assertThat(fromEnv.rules().get(0).index()).isEqualTo("people");
        assertThat(fromEnv.redisUri()).isEqualTo("redis://10.0.0.1:6379");
        ConfigLoader withSet =
                ConfigLoader.read(file).applyEnvironment(env).set("source.scan-count=600", "--set");
        assertThat(
                        new SettingsFactory(withSet.load(), dir)
                                .settings(null, ES, false)
                                .source()
                                .get(RedisSourceOptions.SCAN_COUNT))
                .isEqualTo(600);
        withSet.set(List.of("source", "scan-count"), "500", "--scan-count");
        assertThat(
                        new SettingsFactory(withSet.load(), dir)
                                .settings(null, ES, false)
                                .source()
                                .get(RedisSourceOptions.SCAN_COUNT))
                .isEqualTo(500);
    }

    static Stream<Arguments> brokenConfigurations() {
        return Stream.of(
                Arguments.of(
                        "unknown key",
                        USERS + "sink:\n  bulk-flush-max-actoins: 5\n",
                        "sink.bulk-flush-max-actoins: unknown setting 'bulk-flush-max-actoins';"
                                + " expected one of backoff-delay, backoff-max-retries,"),
                Arguments.of(
                        "wrong type",
                        USERS + "    fields:\n      age: {type: [long]}\n",
                        "mappings[0].fields.age.type: expected a single value (text), was a"
                                + " list [\"long\"]."),
                Arguments.of(
                        "missing endpoint",
                        "mappings:\n  - {pattern: 'user:*', index: users}\n",
                        "redis.url: is missing: expected the server's URL in the file, in"
                                + " REDIS_URL or with --redis."),
                Arguments.of(
                        "bad pattern",
                        USERS.replace("user:*", "user:[ab"),
                        "mappings[0].pattern: Key pattern 'user:[ab' has a '[' without a"
                                + " closing ']'."),
                Arguments.of(
                        "mapping file missing",
                        USERS + "    mapping-file: nope.json\n",
                        "nope.json does not exist."),
                Arguments.of(
                        "mapping file invalid",
                        USERS + "    mapping-file: broken.json\n",
                        "mappings[0].mapping-file: Mapping file "),
                Arguments.of(
                        "bad duration",
                        USERS + "checkpoint: {interval: ten seconds}\n",
                        "checkpoint.interval: expected a duration such as 500ms, 10s, 5min or"
                                + " 1h, was 'ten seconds'."),
                Arguments.of(
                        "checkpoint timeout of zero",
                        USERS + "checkpoint: {timeout: 0s}\n",
                        "checkpoint.timeout: expected a positive duration, was '0s'."),
                Arguments.of(
                        "negative tolerable checkpoint failures",
                        USERS + "checkpoint: {tolerable-failures: -1}\n",
                        "checkpoint.tolerable-failures: expected zero or more, was -1."),
                Arguments.of(
                        "bad index name",
                        USERS.replace("index: users", "index: Users"),
                        "mappings[0].index: 'Users' is not a valid Elasticsearch index name"),
                Arguments.of(
                        "duplicate pattern",
                        USERS + "  - {pattern: 'user:{id}', index: people}\n",
                        "mappings[1].pattern: 'user:{id}' scans the same keys as"
                                + " mappings[0].pattern; each key pattern has one mapping."),
                Arguments.of(
                        "rollup of an unknown field",
                        USERS
                                + "    fields: {status: {type: keyword}}\n"
                                + "rollups:\n  - {name: r, source-index: users, group-by:"
                                + " [stauts]}\n",
                        "rollups[0].group-by[0]: 'stauts' is not a field of the source"
                                + " documents; they have [status]."),
                Arguments.of(
                        "rollup mapping file missing",
                        USERS
                                + "rollups:\n  - {name: r, source-index: users, mapping-file: nope.json}\n",
                        "rollups[0].mapping-file: file @DIR@/nope.json does not exist."),
                Arguments.of(
                        "rollup mapping file invalid",
                        USERS
                                + "rollups:\n  - {name: r, source-index: users, mapping-file: broken.json}\n",
                        "rollups[0].mapping-file: Mapping file @DIR@/broken.json is not valid"
                                + " JSON"),
                Arguments.of(
                        "rollup mapping file with a count that is not a number",
                        USERS
                                + "rollups:\n  - {name: r, source-index: users, group-by: [city],"
                                + " mapping-file: misfit.json}\n",
                        "rollups[0].mapping-file: Mapping file @DIR@/misfit.json: field 'count'"
                                + " is mapped as keyword, but rollup r counts there: expected one"
                                + " of long, integer,"),
                Arguments.of(
                        "rollup mapping file in the mappings dir with a window start that is"
                                + " not a date",
                        USERS
                                + "rollups:\n  - {name: minutes, source-index: users, time-field:"
                                + " born, window: 1min}\n",
                        "rollups[0].target-index: Mapping file"
                                + " @DIR@/mappings/rollup-minutes.json: field 'window_start' is"
                                + " mapped as keyword, but rollup minutes writes a date: expected"
                                + " one of date, date_nanos."),
                Arguments.of(
                        "negative size",
                        USERS + "source: {scan-count: -5}\n",
                        "source.scan-count: expected a positive number, was -5."),
                Arguments.of(
                        "unknown field type",
                        USERS + "    fields:\n      age: {type: lng}\n",
                        "mappings[0].fields.age.type: Field type 'lng' is not one of keyword,"),
                Arguments.of(
                        "bad date format",
                        USERS + "    fields:\n      born: {type: date, format: 'yyyy-MM-dd{'}\n",
                        "mappings[0].fields.born.format: Date format 'yyyy-MM-dd{'"),
                Arguments.of(
                        "bad id template",
                        USERS.replace("'user:*'", "'cart:{user}:{item}'\n    id: '{user}'"),
                        "mappings[0].id: Id template '{user}' leaves out the key's part {item}"),
                Arguments.of("not YAML", "mappings: [\n", ": line 1, column 12: not valid YAML"),
                Arguments.of(
                        "dead letters to an index and a file",
                        USERS + "sink:\n  dead-letters: {index: dlq, file: dlq.jsonl}\n",
                        "sink.dead-letters: names both an index and a file; dead letters go to"
                                + " one target: keep either index or file."),
                Arguments.of(
                        "dead-letter index Elasticsearch refuses",
                        USERS + "sink:\n  dead-letters: {target: index, index: Dead_Letters}\n",
                        "sink.dead-letters.index: 'Dead_Letters' is not a valid Elasticsearch"
                                + " index name"),
                Arguments.of(
                        "dead-letter index without a name",
                        USERS + "sink:\n  dead-letters: index\n",
                        "sink.dead-letters.index: is missing: target index needs the index's"
                                + " name."),
                Arguments.of(
                        "dead-letter index the job writes documents to",
                        USERS + "sink:\n  dead-letters: {index: users}\n",
                        "sink.dead-letters.index: 'users' is an index the job writes documents"
                                + " to; dead letters need an index of their own."),
                Arguments.of(
                        "unknown dead-letter target",
                        USERS + "sink:\n  dead-letters: {target: kafka}\n",
                        "sink.dead-letters.target: expected one of log, index, file, was"
                                + " 'kafka'."),
                Arguments.of(
                        "dead-letter file with the log target",
                        USERS + "sink:\n  dead-letters: {target: log, file: dlq.jsonl}\n",
                        "sink.dead-letters.file: is set, but sink.dead-letters.target is log;"
                                + " set target: file or leave file out."),
                Arguments.of(
                        "dead-letter file in a missing directory",
                        USERS + "sink:\n  dead-letters: {file: '@DIR@/absent/dlq.jsonl'}\n",
                        "sink.dead-letters.file: the directory @DIR@/absent does not exist."),
                Arguments.of(
                        "dead-letter file under a file",
                        USERS + "sink:\n  dead-letters: {file: '@DIR@/broken.json/dlq.jsonl'}\n",
                        "sink.dead-letters.file: the directory @DIR@/broken.json does not"
                                + " exist."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenConfigurations")
    void aBrokenConfigurationFailsNamingFileSettingAndExpectation(
            String what, String yaml, String message) throws IOException {
        Files.writeString(dir.resolve("broken.json"), "{\"mappings\": ");
        Files.writeString(
                dir.resolve("misfit.json"),
                rollupMapping("\"city\":{\"type\":\"keyword\"},\"count\":{\"type\":\"keyword\"}"));
        Files.createDirectories(dir.resolve("mappings"));
        Files.writeString(
                dir.resolve("mappings/rollup-minutes.json"),
                rollupMapping(
                        "\"window_start\":{\"type\":\"keyword\"},"
                                + "\"window_end\":{\"type\":\"date\"},\"count\":{\"type\":\"long\"}"));
        Path file = write(yaml.replace("@DIR@", dir.toString()));
        assertThatThrownBy(() -> load(file, Map.of()))
                .as(what)
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining(message.replace("@DIR@", dir.toString()));
    }

    @Test
    void deadLettersGoToTheIndexOrFileTheSinkNamesAndOnlyToTheLogByDefault() throws IOException {
        SyncJobSetup shop = settings(CONF.resolve("shop.yaml"), Map.of());
        assertThat(shop.job().getOptional(SyncJobOptions.DEAD_LETTERS_INDEX).orElse(null)).isNull();
        assertThat(
                        shop.job()
                                .getOptional(SyncJobOptions.DEAD_LETTERS_FILE)
                                .map(Path::of)
                                .orElse(null))
                .isNull();

        Path file = write(USERS + "sink:\n  dead-letters: {target: index, index: users-dead}\n");
        assertThat(
                        load(file, Map.of())
                                .job()
                                .getOptional(SyncJobOptions.DEAD_LETTERS_INDEX)
                                .orElse(null))
                .isEqualTo("users-dead");

        Path lines = dir.resolve("dead-letters.jsonl");
        write(USERS + "sink:\n  dead-letters: {file: '" + lines + "'}\n");
        SyncJobSetup toFile = load(file, Map.of());
        assertThat(
                        toFile.job()
                                .getOptional(SyncJobOptions.DEAD_LETTERS_FILE)
                                .map(Path::of)
                                .orElse(null))
                .isEqualTo(lines);
        assertThat(toFile.job().getOptional(SyncJobOptions.DEAD_LETTERS_INDEX).orElse(null))
                .isNull();

        // The target follows from the one setting an override gives.
        write(USERS);
        assertThat(
                        load(file, Map.of("REDIS_ES_SYNC_SINK_DEAD_LETTERS_INDEX", "dlq"))
                                .job()
                                .getOptional(SyncJobOptions.DEAD_LETTERS_INDEX)
                                .orElse(null))
                .isEqualTo("dlq");
        ConfigLoader set = ConfigLoader.read(file).set("sink.dead-letters.file=" + lines, "--set");
        assertThat(
                        new SettingsFactory(set.load(), dir)
                                .settings(null, ES, false)
                                .job()
                                .getOptional(SyncJobOptions.DEAD_LETTERS_FILE)
                                .map(Path::of)
                                .orElse(null))
                .isEqualTo(lines);
    }

    @Test
    void aRollupIndexIsCreatedFromItsMappingFileWhenThereIsOne() throws IOException {
        String minutes =
                "rollups:\n  - {name: minutes, source-index: users, time-field: born, window:"
                        + " 1min, group-by: [city], metrics: [count, sum(age)]}\n";
        Path file = write(USERS + minutes);
        assertThat(load(file, Map.of()).rollups().get(0).indexDefinition())
                .as("no file: the mapping made from the rollup")
                .isNull();

        String fitting =
                rollupMapping(
                        "\"window_start\":{\"type\":\"date\"},\"window_end\":{\"type\":\"date\"},"
                                + "\"city\":{\"type\":\"keyword\"},\"count\":{\"type\":\"integer\"},"
                                + "\"sum_age\":{\"type\":\"long\"}");
        Path inMappingsDir = dir.resolve("mappings/rollup-minutes.json");
        Files.createDirectories(inMappingsDir.getParent());
        Files.writeString(inMappingsDir, fitting);
        assertThat(load(file, Map.of()).rollups().get(0).indexDefinition().source())
                .isEqualTo(inMappingsDir.toString());

        // An explicit file wins over the mappings dir, relative to the configuration file.
        Files.writeString(dir.resolve("minutes.json"), fitting.replace("integer", "long"));
        write(USERS + minutes.replace("]}", "], mapping-file: minutes.json}"));
        assertThat(load(file, Map.of()).rollups().get(0).indexDefinition().source())
                .isEqualTo(dir.resolve("minutes.json").toString());
    }

    /** A rollup index mapping file: settings, the rollup field, and {@code properties}. */
    private static String rollupMapping(String properties) {
        return "{\"settings\":{\"number_of_shards\":2},\"mappings\":{\"properties\":{"
                + "\"rollup\":{\"type\":\"keyword\"},"
                + properties
                + "}}}";
    }

    @Test
    void aStuckCheckpointTimesOutAndFailsTheJobAfterTheToleratedFailuresByDefault()
            throws IOException {
        SyncJobSetup defaults = load(write(USERS), Map.of());
        assertThat(defaults.job().get(SyncJobOptions.CHECKPOINT_TIMEOUT))
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(defaults.job().get(SyncJobOptions.CHECKPOINT_TOLERABLE_FAILURES)).isEqualTo(3);

        Path file = write(USERS + "checkpoint: {timeout: 5min, tolerable-failures: 1}\n");
        SyncJobSetup fromFile = load(file, Map.of());
        assertThat(fromFile.job().get(SyncJobOptions.CHECKPOINT_TIMEOUT))
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(fromFile.job().get(SyncJobOptions.CHECKPOINT_TOLERABLE_FAILURES)).isEqualTo(1);
        SyncJobSetup fromEnv =
                load(
                        file,
                        Map.of(
                                "REDIS_ES_SYNC_CHECKPOINT_TIMEOUT", "90s",
                                "REDIS_ES_SYNC_CHECKPOINT_TOLERABLE_FAILURES", "0"));
        assertThat(fromEnv.job().get(SyncJobOptions.CHECKPOINT_TIMEOUT))
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(fromEnv.job().get(SyncJobOptions.CHECKPOINT_TOLERABLE_FAILURES)).isZero();
    }

    @Test
    void anOverrideThatIsWrongNamesTheVariableOrOption() throws IOException {
        Path file = write(USERS);
        assertThatThrownBy(() -> load(file, Map.of("REDIS_ES_SYNC_SOURCE_SCAN_COUNT", "abc")))
                .hasMessage(
                        "source.scan-count (from REDIS_ES_SYNC_SOURCE_SCAN_COUNT): expected a"
                                + " whole number, was 'abc'.");
        assertThatThrownBy(() -> ConfigLoader.read(file).set("sink.colour=red", "--set").load())
                .hasMessageStartingWith(
                        "sink.colour (from --set): unknown setting 'colour'; expected one of");
        assertThatThrownBy(() -> ConfigLoader.read(dir.resolve("absent.yaml")))
                .hasMessage(
                        "Configuration file " + dir.resolve("absent.yaml") + " does not exist.");
    }

    @Test
    void theCheckpointDirectoryIsAUriAndAPlainPathIsMadeAbsolute() throws IOException {
        assertThat(
                        load(write(USERS), Map.of())
                                .job()
                                .getOptional(SyncJobOptions.CHECKPOINT_DIR)
                                .orElse(null))
                .isNull();
        assertThat(
                        load(write(USERS + "checkpoint: {dir: 's3://bucket/sync'}\n"), Map.of())
                                .job()
                                .getOptional(SyncJobOptions.CHECKPOINT_DIR)
                                .orElse(null))
                .isEqualTo("s3://bucket/sync");
        assertThat(
                        load(write(USERS), Map.of("REDIS_ES_SYNC_CHECKPOINT_DIR", "state"))
                                .job()
                                .getOptional(SyncJobOptions.CHECKPOINT_DIR)
                                .orElse(null))
                .isEqualTo(Path.of("state").toAbsolutePath().toUri().toString());
        assertThatThrownBy(() -> load(write(USERS + "checkpoint: {dir: ' '}\n"), Map.of()))
                .hasMessageContaining("checkpoint.dir: expected a directory, was empty.");
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private SyncJobSetup load(Path file, Map<String, String> env) {
        return new SettingsFactory(ConfigLoader.read(file).applyEnvironment(env).load(), dir)
                .settings(null, ES, false);
    }

    private static SyncJobSetup settings(Path file, Map<String, String> env) {
        return new SettingsFactory(
                        ConfigLoader.read(file).applyEnvironment(env).load(),
                        CONF.resolve("mappings"))
                .settings(REDIS, ES, false);
    }
}
