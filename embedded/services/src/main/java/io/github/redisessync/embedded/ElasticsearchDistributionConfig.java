package io.github.redisessync.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.stream.Stream;

/**
 * The configuration directory of one {@link ElasticsearchDistributionNode} ({@code ES_PATH_CONF} or
 * {@code OPENSEARCH_PATH_CONF}): the distribution's own files plus the settings of a private
 * single-node test server.
 */
final class ElasticsearchDistributionConfig {

    /**
     * What a node is configured with; {@code user} null means security off, {@code httpCertificate}
     * null plain HTTP, {@code clientCa} null no client certificates required (else they must be
     * signed by that CA).
     */
    record Settings(
            int httpPort,
            Path data,
            Path logs,
            String heap,
            String user,
            String password,
            Path httpCertificate,
            Path httpKey,
            Path clientCa,
            java.util.Map<String, String> extra) {}

    private ElasticsearchDistributionConfig() {}

    static void write(
            SearchServerKind kind, Path distributionConfig, Path config, Settings settings)
            throws IOException {
        copyTree(distributionConfig, config);
        StringBuilder yml =
                new StringBuilder("\n# Added by redis-es-sync for a private test node.\n");
        yml.append("discovery.type: single-node\n");
        yml.append("network.host: ").append(ProcessSupport.LOOPBACK).append('\n');
        yml.append("http.port: ").append(settings.httpPort()).append('\n');
        // The OS chooses: two nodes never clash, and nothing else connects to it.
        yml.append("transport.port: 0\n");
        yml.append("path.data: ").append(settings.data()).append('\n');
        yml.append("path.logs: ").append(settings.logs()).append('\n');
        // A developer's nearly full disk must not turn indexes read-only.
        yml.append("cluster.routing.allocation.disk.threshold_enabled: false\n");
        if (kind == SearchServerKind.ELASTICSEARCH) {
            // OpenSearch has no such setting (and would refuse it): its security is a plugin,
            // which the integ-test-zip leaves out.
            yml.append("xpack.security.enabled: ").append(settings.user() != null).append('\n');
        }
        if (settings.httpCertificate() != null) {
            // Inside the configuration directory: the only place the node may read them from.
            Files.copy(settings.httpCertificate(), config.resolve("http.crt"));
            Files.copy(settings.httpKey(), config.resolve("http.key"));
            yml.append("xpack.security.http.ssl.enabled: true\n");
            yml.append("xpack.security.http.ssl.certificate: http.crt\n");
            yml.append("xpack.security.http.ssl.key: http.key\n");
        }
        if (settings.clientCa() != null) {
            Files.copy(settings.clientCa(), config.resolve("client-ca.crt"));
            yml.append("xpack.security.http.ssl.certificate_authorities: client-ca.crt\n");
            yml.append("xpack.security.http.ssl.client_authentication: required\n");
        }
        settings.extra()
                .forEach((key, value) -> yml.append(key).append(": ").append(value).append('\n'));
        Files.writeString(config.resolve(kind.configFile()), yml, StandardOpenOption.APPEND);
        // The GC log path is relative to the working directory, which 7.x and OpenSearch set to the
        // shared, read-only home; keep it in this node's logs.
        Files.createDirectories(settings.logs());
        Path jvmOptions = config.resolve("jvm.options");
        Files.writeString(
                jvmOptions,
                Files.readString(jvmOptions)
                        .replaceAll(
                                "file=[^:\\s]*gc\\.log",
                                Matcher.quoteReplacement(
                                        "file=" + settings.logs().resolve("gc.log"))));
        Path options = config.resolve("jvm.options.d");
        Files.createDirectories(options);
        Files.writeString(
                options.resolve("redis-es-sync.options"),
                "-Xms" + settings.heap() + "\n-Xmx" + settings.heap() + "\n");
        if (settings.user() != null) {
            // The file realm, written directly: no CLI JVM to start, no password on a command line.
            Files.writeString(
                    config.resolve("users"),
                    settings.user() + ":" + sha1Hash(settings.password()) + "\n");
            Files.writeString(config.resolve("users_roles"), "superuser:" + settings.user() + "\n");
        }
    }

    /** The file realm's {@code {SHA}} format (as in htpasswd): fine for a throw-away test node. */
    static String sha1Hash(String password) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-1")
                            .digest(password.getBytes(StandardCharsets.UTF_8));
            return "{SHA}" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-1.", e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> tree = Files.walk(from)) {
            for (Path source : (Iterable<Path>) tree::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
