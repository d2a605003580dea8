package io.github.redisessync.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.embedded.ElasticsearchDistributionNode;
import io.github.redisessync.embedded.ElasticsearchHttp;
import io.github.redisessync.job.cli.CommandRunner;
import io.github.redisessync.testing.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code local} and {@code verify} against an Elasticsearch 8.19.21 with security on that refuses
 * what it is sent (a wrong password: 401; a user without index privileges: 403), each in a JVM of
 * its own with the console {@code bin/redis-es-sync} has: no retry cures that, so the command must
 * end by itself with an error line naming the server and the cause, no stack trace on the console
 * and no restart of a job in its log, rather than retrying in a loop the user cannot see.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefusedCredentialsITCase {

    private static final Logger LOG = LoggerFactory.getLogger(RefusedCredentialsITCase.class);

    private static final String USER = "sync";
    private static final String READER = "reader";

    /** Ends at once; a restart loop would still run when this is over. */
    private static final Duration EXIT = Duration.ofSeconds(90);

    private final String password = "es-" + UUID.randomUUID();
    private final String readerPassword = "reader-" + UUID.randomUUID();
    private ElasticsearchDistributionNode es;

    @BeforeAll
    void startServer() throws Exception {
        // apiKeys(): the analysis components the .security index needs, for the native realm too.
        es = ElasticsearchDistributionNode.builder().basicAuth(USER, password).apiKeys().start();
        ElasticsearchHttp http = new ElasticsearchHttp(URI.create(es.urlWithCredentials()));
        // May ask the server what it is (GET /), nothing more: no index privilege at all.
        ElasticsearchHttp.Response role =
                http.send("PUT", "/_security/role/monitor-only", "{\"cluster\":[\"monitor\"]}");
        assertThat(role.isSuccess()).as(role.body()).isTrue();
        ElasticsearchHttp.Response reader =
                http.send(
                        "PUT",
                        "/_security/user/" + READER,
                        "{\"password\":\"" + readerPassword + "\",\"roles\":[\"monitor-only\"]}");
        assertThat(reader.isSuccess()).as(reader.body()).isTrue();
    }

    @AfterAll
    void stopServer() {
        if (es != null) {
            es.close();
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({
        "local, a wrong password, 401",
        "verify, a wrong password, 401",
        "local, no index privilege, 403",
        "verify, no index privilege, 403"
    })
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aRefusingServerEndsTheCommandWithOneLineNamingItAndTheCause(
            String command, String refusal, String status, @TempDir Path dir) throws Exception {
        boolean wrongPassword = refusal.startsWith("a wrong");
        String secret = wrongPassword ? "wrong-" + UUID.randomUUID() : readerPassword;
        String user = wrongPassword ? USER : READER;
        String server = "127.0.0.1:" + es.port();
        String prefix = TestServices.uniqueName("refused") + ":user:";
        String index = TestServices.uniqueName("refused");
        RedisClient client = RedisClient.create(TestServices.redis().uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            for (int i = 0; i < 20; i++) {
                connection.sync().hset(prefix + i, Map.of("name", "user " + i));
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--redis",
                                TestServices.redis().uri(),
                                "--es",
                                "http://" + user + ":" + secret + "@" + server,
                                "--index",
                                prefix + "*=" + index));
        if (command.equals("local")) {
            // Unbounded, with a state directory of its own: a restart loop would never end.
            args.addAll(List.of("--state-dir", dir.resolve("state").toString()));
        }

        try (LocalProcess run = LocalProcess.start(dir, command, args)) {
            int exitCode = run.awaitExitCode(EXIT);
            String console = run.output();
            String log = run.log();
            assertThat(exitCode).as(console).isEqualTo(CommandRunner.EXIT_UNREACHABLE);
            LOG.info("{} refused ({}): exit {}\n{}", command, refusal, exitCode, console);
            List<String> errors =
                    console.lines().filter(line -> line.startsWith("error: ")).toList();
            assertThat(errors).as(console).hasSize(1);
            assertThat(errors.get(0)).contains(server).contains(status);
            assertThat(console.strip()).as("the last line").endsWith(errors.get(0).strip());
            assertThat(console)
                    .doesNotContain("\tat ")
                    .doesNotContain("Exception in thread")
                    .doesNotContain(secret);
            assertThat(log)
                    .as("%s.log", command)
                    .doesNotContain("RESTARTING")
                    .doesNotContain(secret);
        }
        ElasticsearchHttp http = new ElasticsearchHttp(URI.create(es.urlWithCredentials()));
        assertThat(http.send("GET", "/" + index, null).status())
                .as("the index, untouched")
                .isEqualTo(404);
    }
}
