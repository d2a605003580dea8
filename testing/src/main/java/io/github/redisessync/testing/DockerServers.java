package io.github.redisessync.testing;

import io.github.redisessync.embedded.ElasticsearchHttp;
import io.github.redisessync.embedded.RedisProbe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.elasticsearch.ElasticsearchContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Servers in Docker containers through Testcontainers. The only class that touches Testcontainers,
 * so a run without Docker never loads it.
 */
final class DockerServers {

    static final String REDIS_IMAGE =
            System.getProperty("redis-es-sync.test.redis-image", "redis:7");
    static final String ES_IMAGE =
            System.getProperty(
                    "redis-es-sync.test.es-image",
                    "docker.elastic.co/elasticsearch/elasticsearch:8.15.3");

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
    private static final long AVAILABILITY_TIMEOUT_SECONDS = 30;

    private DockerServers() {}

    /**
     * Whether a Docker daemon answers. Asks Testcontainers only when a daemon could be there at
     * all: on a machine without one it would log a page of errors, and it gets a time limit so a
     * stuck socket cannot hang the run.
     */
    static boolean isAvailable(Map<String, String> environment, Path home) {
        if (!mightBePresent(environment, home)) {
            return false;
        }
        FutureTask<Boolean> check =
                new FutureTask<>(() -> DockerClientFactory.instance().isDockerAvailable());
        Thread thread = new Thread(check, "docker-availability");
        thread.setDaemon(true);
        thread.start();
        try {
            return check.get(AVAILABILITY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Cheap signs of a daemon: DOCKER_HOST, a Testcontainers config, or a known socket file. */
    static boolean mightBePresent(Map<String, String> environment, Path home) {
        if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win")) {
            return true;
        }
        String dockerHost = environment.get("DOCKER_HOST");
        if (dockerHost != null && !dockerHost.isBlank()) {
            return true;
        }
        String runtimeDir = environment.getOrDefault("XDG_RUNTIME_DIR", "/nonexistent");
        List<Path> signs =
                List.of(
                        home.resolve(".testcontainers.properties"),
                        Path.of("/var/run/docker.sock"),
                        Path.of(runtimeDir, "docker.sock"),
                        Path.of(runtimeDir, "podman", "podman.sock"),
                        home.resolve(".docker/run/docker.sock"),
                        home.resolve(".docker/desktop/docker.sock"),
                        home.resolve(".colima/default/docker.sock"),
                        home.resolve(".rd/docker.sock"));
        return signs.stream().anyMatch(Files::exists);
    }

    static RedisEndpoint redis(Consumer<AutoCloseable> onStarted) {
        GenericContainer<?> container =
                new GenericContainer<>(DockerImageName.parse(REDIS_IMAGE))
                        .withExposedPorts(6379)
                        .withCommand(
                                "redis-server",
                                "--save",
                                "",
                                "--appendonly",
                                "no",
                                "--notify-keyspace-events",
                                "KEA");
        container.start();
        onStarted.accept(container::stop);
        String host = container.getHost();
        int port = container.getMappedPort(6379);
        try {
            String version = RedisProbe.version(host, port, null, PROBE_TIMEOUT);
            return new RedisEndpoint(
                    "redis://" + host + ":" + port, host, port, version, "docker, " + REDIS_IMAGE);
        } catch (IOException e) {
            throw new UncheckedIOException("The Redis container does not answer PING.", e);
        }
    }

    static ElasticsearchEndpoint elasticsearch(Consumer<AutoCloseable> onStarted) {
        ElasticsearchContainer container =
                new ElasticsearchContainer(DockerImageName.parse(ES_IMAGE))
                        .withEnv("xpack.security.enabled", "false")
                        .withEnv("ES_JAVA_OPTS", "-Xms512m -Xmx512m");
        container.start();
        onStarted.accept(container::stop);
        String url = "http://" + container.getHttpHostAddress();
        try {
            String version = new ElasticsearchHttp(URI.create(url)).version();
            return new ElasticsearchEndpoint(url, version, "docker, " + ES_IMAGE);
        } catch (IOException e) {
            throw new UncheckedIOException("The Elasticsearch container does not answer.", e);
        }
    }
}
