package io.github.redisessync.job.config;

import io.github.redisessync.connector.elasticsearch.ElasticsearchTls;
import io.github.redisessync.connector.elasticsearch.ElasticsearchUrls;
import io.github.redisessync.connector.redis.source.RedisClients;

/**
 * The TLS file settings ({@code redis.ca-file}, {@code elasticsearch.ca-file}, {@code
 * elasticsearch.client-cert-file}, {@code elasticsearch.client-key-file}): checked before any
 * connection and folded into the URLs as parameters, as the database is, so that every client built
 * from a URL uses the same files. Only paths travel; the files are read where clients are built.
 */
final class TlsFileSettings {

    private TlsFileSettings() {}

    /** The Redis URL with its CA file, or problems of {@code redis.ca-file}. */
    static String redis(Problems problems, String url, String caFile) {
        return withCaFile(problems, "redis", url, caFile, "rediss://");
    }

    /** The Elasticsearch URL with its TLS files, or problems naming the settings. */
    static String elasticsearch(Problems problems, String url, JobConfig.Elasticsearch es) {
        return withClientCertificate(
                problems, withCaFile(problems, "elasticsearch", url, es.caFile, "https://"), es);
    }

    /** The configured Elasticsearch URL with the TLS files folded in, unchecked; or null. */
    static String elasticsearchUrl(JobConfig.Elasticsearch es) {
        String url = es.url;
        if (url != null && es.caFile != null) {
            url = ElasticsearchUrls.withCaFile(url, es.caFile);
        }
        if (url != null && es.clientCertFile != null && es.clientKeyFile != null) {
            url = withClientCertificate(url, es.clientCertFile, es.clientKeyFile);
        }
        return url;
    }

    /** {@code url} with the CA file, after checking it holds certificates and TLS is used. */
    static String withCaFile(
            Problems problems, String server, String url, String caFile, String tlsScheme) {
        if (url == null || caFile == null) {
            return url;
        }
        String path = server + ".ca-file";
        if (problems.check(path, () -> ElasticsearchTls.certificates(caFile)) == null) {
            return url;
        }
        if (!url.startsWith(tlsScheme)) {
            problems.add(
                    path, "is set, but " + server + ".url does not start with " + tlsScheme + ".");
            return url;
        }
        return server.equals("redis")
                ? RedisClients.withCaFile(url, caFile)
                : ElasticsearchUrls.withCaFile(url, caFile);
    }

    /**
     * {@code url} with the client certificate and key, after checking both are set, readable PEM,
     * and that TLS is used; the key's content never reaches a message.
     */
    static String withClientCertificate(Problems problems, String url, JobConfig.Elasticsearch es) {
        if (url == null || es.clientCertFile == null && es.clientKeyFile == null) {
            return url;
        }
        if (es.clientCertFile == null || es.clientKeyFile == null) {
            problems.add(
                    es.clientCertFile == null
                            ? "elasticsearch.client-key-file"
                            : "elasticsearch.client-cert-file",
                    "is set, but not elasticsearch."
                            + (es.clientCertFile == null ? "client-cert-file" : "client-key-file")
                            + "; a client certificate needs both.");
            return url;
        }
        if (!url.startsWith("https://")) {
            problems.add(
                    "elasticsearch.client-cert-file",
                    "is set, but elasticsearch.url does not start with https://.");
            return url;
        }
        if (problems.check(
                        "elasticsearch.client-cert-file",
                        () -> {
                            ElasticsearchTls.checkClientCertificate(
                                    es.clientCertFile, es.clientKeyFile);
                            return true;
                        })
                == null) {
            return url;
        }
        return withClientCertificate(url, es.clientCertFile, es.clientKeyFile);
    }

    private static String withClientCertificate(String url, String certificate, String key) {
        return ElasticsearchUrls.withParameter(
                ElasticsearchUrls.withParameter(
                        url, ElasticsearchUrls.CLIENT_CERT_FILE_PARAMETER, certificate),
                ElasticsearchUrls.CLIENT_KEY_FILE_PARAMETER,
                key);
    }
}
