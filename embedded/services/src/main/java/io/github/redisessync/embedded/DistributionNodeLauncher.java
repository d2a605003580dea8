package io.github.redisessync.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the process of an {@link ElasticsearchDistributionNode}: unpacks the distribution, finds
 * its JDK, writes a private configuration and waits until the node answers, on a free port (another
 * one when someone took it before the node bound it).
 */
final class DistributionNodeLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(DistributionNodeLauncher.class);

    /** What the builder validated; {@code port} 0 means a free one, null means not wanted. */
    record Spec(
            SearchServerKind kind,
            String version,
            String heap,
            int port,
            Path dataDirectory,
            Duration startupTimeout,
            String user,
            String password,
            String runAs,
            Path[] https,
            Path[] clientCertificate,
            String host,
            boolean apiKeys,
            java.util.Map<String, String> extraSettings) {

        String scheme() {
            return https == null ? "http" : "https";
        }

        String displayName() {
            return kind.displayName() + " " + version;
        }

        /** {@code http://127.0.0.1:<port>} ({@code https://}, the host of {@link #host}). */
        String url(int port) {
            return scheme() + "://" + host + ":" + port;
        }

        /** {@code http://user:password@127.0.0.1:<port>} with basic auth, else {@link #url}. */
        String urlWithCredentials(int port) {
            if (user == null) {
                return url(port);
            }
            String password =
                    URLEncoder.encode(this.password, StandardCharsets.UTF_8).replace("+", "%20");
            return scheme() + "://" + user + ":" + password + "@" + host + ":" + port;
        }
    }

    private DistributionNodeLauncher() {}

    static ElasticsearchDistributionNode launch(Spec spec) {
        SearchServerKind kind = spec.kind();
        ElasticsearchDistribution distribution = ElasticsearchDistribution.of(kind, spec.version());
        Path java =
                JavaHomes.forServer(
                        kind, distribution.major(), System.getenv(), Path.of("/usr/lib/jvm"));
        // One prefix for both kinds, so that one sweep removes what killed runs left behind.
        return ProcessSupport.startOnFreePort(
                kind.displayName(),
                "redis-es-sync-es-node-",
                spec.port(),
                (httpPort, directory) -> startOn(spec, distribution, java, httpPort, directory));
    }

    private static ElasticsearchDistributionNode startOn(
            Spec spec,
            ElasticsearchDistribution distribution,
            Path java,
            int httpPort,
            Path directory) {
        SearchServerKind kind = spec.kind();
        Path config = directory.resolve("config-" + httpPort);
        Path log = directory.resolve(kind.homeName(spec.version()) + "-" + httpPort + ".log");
        Path home = configure(spec, distribution, httpPort, directory, config);
        List<String> command =
                RunAs.command(List.of(home.resolve(kind.launcher()).toString()), spec.runAs());
        Map<String, String> environment = kind.environment(java, config, directory.resolve("tmp"));
        long started = System.nanoTime();
        Process process;
        try {
            process =
                    ProcessSupport.start(
                            EmbeddedRedisServer.watched(command), directory, log, environment);
        } catch (IOException e) {
            throw new EmbeddedServerException("Could not run " + String.join(" ", command), e);
        }
        String url = spec.url(httpPort);
        String reported =
                ElasticsearchReadiness.awaitVersion(
                        process,
                        probe(spec, httpPort),
                        spec.displayName(),
                        log,
                        spec.startupTimeout(),
                        ElasticsearchDistributionNode.STOP_GRACE);
        LOG.info(
                "Started {} {} at {} in {} ms (Java {}, {}{}{}{}{}, log {})",
                kind.displayName(),
                reported,
                url,
                ProcessSupport.millisSince(started),
                java,
                RunAs.isRoot() ? "as " + spec.runAs() : "as " + System.getProperty("user.name"),
                spec.user() == null ? ", security off" : ", basic auth",
                spec.https() == null ? "" : ", https",
                spec.clientCertificate() == null ? "" : " requiring client certificates",
                spec.apiKeys() ? ", API keys" : "",
                log);
        return new ElasticsearchDistributionNode(spec, httpPort, reported, process, directory, log);
    }

    /**
     * Writes the node's configuration and directories, handed to the user it runs as; returns the
     * home to start it from (the shared distribution, or a private one that links it).
     */
    private static Path configure(
            Spec spec,
            ElasticsearchDistribution distribution,
            int httpPort,
            Path directory,
            Path config) {
        Path data = spec.dataDirectory() != null ? spec.dataDirectory() : directory.resolve("data");
        Path[] https = spec.https();
        try {
            Path home = distribution.home();
            if (spec.apiKeys()) {
                home =
                        SecurityIndexPlugin.installInto(
                                distribution, directory.resolve("home-" + httpPort));
            }
            ElasticsearchDistributionConfig.write(
                    spec.kind(),
                    distribution.home().resolve("config"),
                    config,
                    new ElasticsearchDistributionConfig.Settings(
                            httpPort,
                            data,
                            directory.resolve("logs"),
                            spec.heap(),
                            spec.user(),
                            spec.password(),
                            https == null ? null : https[0],
                            https == null ? null : https[1],
                            spec.clientCertificate() == null ? null : https[2],
                            spec.extraSettings()));
            Files.createDirectories(directory.resolve("tmp"));
            Files.createDirectories(data);
            if (RunAs.isRoot()) {
                RunAs.handOver(directory, spec.runAs());
                RunAs.handOver(data, spec.runAs());
            }
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Could not configure " + spec.kind().displayName() + " in " + directory, e);
        }
    }

    /** The client that waits for the node: with its credentials, CA and client certificate. */
    private static ElasticsearchHttp probe(Spec spec, int httpPort) {
        Path[] client = spec.clientCertificate();
        return new ElasticsearchHttp(
                URI.create(spec.urlWithCredentials(httpPort)),
                Duration.ofSeconds(5),
                spec.https() == null
                        ? null
                        : TlsTrust.context(
                                spec.https()[2],
                                client == null ? null : client[0],
                                client == null ? null : client[1]));
    }
}
