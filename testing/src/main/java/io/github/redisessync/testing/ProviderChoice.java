package io.github.redisessync.testing;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;

/**
 * Decides where a test server comes from: a URL the user gave, Docker, or the embedded servers.
 *
 * <p>In order: {@code REDIS_URL} / {@code ES_URL} name external servers; otherwise the mode from
 * the {@value #MODE_PROPERTY} system property or the {@value #MODE_ENV} environment variable
 * ({@code auto}, {@code docker} or {@code embedded}) decides, and {@code auto} (the default) uses
 * Docker when a daemon answers and the embedded servers otherwise.
 */
final class ProviderChoice {

    static final String MODE_ENV = "REDIS_ES_SYNC_TEST_SERVERS";
    static final String MODE_PROPERTY = "redis-es-sync.test.servers";
    static final String REDIS_URL = "REDIS_URL";
    static final String ES_URL = "ES_URL";

    /** Runs the whole suite on this official Elasticsearch distribution, e.g. {@code 8.19.21}. */
    static final String ES_VERSION_ENV = "REDIS_ES_SYNC_TEST_ES";

    static final String ES_VERSION_PROPERTY = "redis-es-sync.test.es";

    /** Where one server comes from. */
    enum Provider {
        EXTERNAL,
        DOCKER,
        EMBEDDED
    }

    /** The modes a user can force. */
    enum Mode {
        AUTO,
        DOCKER,
        EMBEDDED
    }

    private ProviderChoice() {}

    /**
     * @param externalUrl the server's {@code *_URL} variable, or null
     * @param dockerAvailable asked only in {@link Mode#AUTO}; a forced {@code docker} lets
     *     Testcontainers fail loudly on its own if there is no daemon
     */
    static Provider choose(String externalUrl, Mode mode, BooleanSupplier dockerAvailable) {
        if (externalUrl != null && !externalUrl.isBlank()) {
            return Provider.EXTERNAL;
        }
        switch (mode) {
            case DOCKER:
                return Provider.DOCKER;
            case EMBEDDED:
                return Provider.EMBEDDED;
            default:
                return dockerAvailable.getAsBoolean() ? Provider.DOCKER : Provider.EMBEDDED;
        }
    }

    /**
     * The Elasticsearch distribution version the suite was asked to run on (system property, else
     * environment), or null for the default provider.
     */
    static String distributionVersion(Map<String, String> environment, Properties properties) {
        String value = properties.getProperty(ES_VERSION_PROPERTY);
        String source = "-D" + ES_VERSION_PROPERTY;
        if (value == null || value.isBlank()) {
            value = environment.get(ES_VERSION_ENV);
            source = ES_VERSION_ENV;
        }
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!value.trim().matches("\\d+\\.\\d+\\.\\d+")) {
            throw new IllegalArgumentException(
                    source
                            + " must be an Elasticsearch version such as 8.19.21, was "
                            + value
                            + ".");
        }
        return value.trim();
    }

    /** The mode from the system property, else the environment; {@code auto} if neither is set. */
    static Mode mode(Map<String, String> environment, Properties systemProperties) {
        String property = systemProperties.getProperty(MODE_PROPERTY);
        String source = "-D" + MODE_PROPERTY;
        String value = property;
        if (value == null || value.isBlank()) {
            value = environment.get(MODE_ENV);
            source = MODE_ENV;
        }
        if (value == null || value.isBlank()) {
            return Mode.AUTO;
        }
        try {
            return Mode.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    source + " must be auto, docker or embedded, was " + value + ".", e);
        }
    }
}
