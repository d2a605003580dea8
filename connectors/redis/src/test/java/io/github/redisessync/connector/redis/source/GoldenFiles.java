package io.github.redisessync.connector.redis.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Golden-bytes files under {@code src/test/resources}: compared by default, (re)written only when
 * the build runs with {@code -Dredis-es-sync.write-golden=true}.
 */
public final class GoldenFiles {

    private static final String WRITE_PROPERTY = "redis-es-sync.write-golden";

    private GoldenFiles() {}

    /** The bytes of a golden file that the current serializer no longer writes (an old version). */
    public static byte[] read(String resource) throws IOException {
        try (InputStream in = GoldenFiles.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as("golden file %s", resource).isNotNull();
            return in.readAllBytes();
        }
    }

    /**
     * Returns the golden bytes at {@code resource} after checking that {@code actual} equals them,
     * or writes {@code actual} there first when the property asks for it.
     */
    public static byte[] verifyOrWrite(String resource, byte[] actual) throws IOException {
        if (Boolean.getBoolean(WRITE_PROPERTY)) {
            // Relative to the module, which is where surefire runs.
            Path file = Paths.get("src/test/resources").resolve(resource);
            Files.createDirectories(file.getParent());
            Files.write(file, actual);
            return actual;
        }
        byte[] golden;
        try (InputStream in = GoldenFiles.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in)
                    .as(
                            "golden file %s; write it with -D%s=true and commit it",
                            resource, WRITE_PROPERTY)
                    .isNotNull();
            golden = in.readAllBytes();
        }
        assertThat(actual)
                .as(
                        "bytes of the current serializer versus golden file %s: a layout change"
                                + " needs a new version, not a new golden file",
                        resource)
                .isEqualTo(golden);
        return golden;
    }
}
