package io.github.redisessync.job.testing;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Redis database (1 to 15) that held no key when the test claimed it, for tests whose data has
 * fixed key names ({@code local --demo} writes {@code user:1}, {@code user:2}, ...), so that on a
 * user's server ({@code REDIS_URL}) they neither overwrite nor flush anything of the user's.
 *
 * <p>The claim is a key {@value #CLAIM_PREFIX}{@code <n>} in database 0, set only if absent, with
 * an expiry in case the run dies: two runs against one server take different databases. {@link
 * #close()} deletes the keys of the given patterns in the database (the test's data: it was empty)
 * and then the claim.
 */
public final class ClaimedDatabase implements AutoCloseable {

    static final String CLAIM_PREFIX = "redis-es-sync-test:database-claim:";
    private static final Duration CLAIM_EXPIRY = Duration.ofHours(1);

    private final String redisUri;
    private final int number;
    private final String owner;
    private final List<String> patterns;

    private ClaimedDatabase(String redisUri, int number, String owner, List<String> patterns) {
        this.redisUri = redisUri;
        this.number = number;
        this.owner = owner;
        this.patterns = patterns;
    }

    /**
     * Claims the highest-numbered empty database of the server at {@code redisUri} (no database in
     * its path) for {@code owner}; {@code patterns} are the keys the test will write there.
     */
    public static ClaimedDatabase claim(String redisUri, String owner, List<String> patterns) {
        RedisClient client = RedisClient.create(redisUri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            for (int n = 15; n >= 1; n--) {
                String claim = CLAIM_PREFIX + n;
                if (!"OK".equals(redis.set(claim, owner, SetArgs.Builder.nx().ex(CLAIM_EXPIRY)))) {
                    continue; // another test or run has it
                }
                long keys;
                try {
                    redis.select(n);
                    keys = redis.dbsize();
                } catch (RuntimeException noSuchDatabase) {
                    keys = -1; // fewer databases configured (or a cluster): try a lower number
                } finally {
                    redis.select(0);
                }
                if (keys == 0) {
                    return new ClaimedDatabase(redisUri, n, owner, patterns);
                }
                redis.del(claim); // someone's data is there: not ours to touch
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        throw new IllegalStateException(
                "No empty Redis database among 1 to 15 at "
                        + RedisURI.create(redisUri).toString()
                        + " for "
                        + owner
                        + ": this test writes keys with fixed names and needs a database of its"
                        + " own (one with no keys).");
    }

    /** The database's number. */
    public int number() {
        return number;
    }

    /** The server's URI with this database in its path. */
    public String uri() {
        return redisUri + "/" + number;
    }

    /** Deletes the keys of the test's patterns in the database, then releases the claim. */
    @Override
    public void close() {
        RedisClient client = RedisClient.create(redisUri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            redis.select(number);
            for (String pattern : patterns) {
                ScanCursor cursor = ScanCursor.INITIAL;
                do {
                    KeyScanCursor<String> page =
                            redis.scan(cursor, ScanArgs.Builder.matches(pattern).limit(1000));
                    List<String> keys = new ArrayList<>(page.getKeys());
                    if (!keys.isEmpty()) {
                        redis.unlink(keys.toArray(new String[0]));
                    }
                    cursor = page;
                } while (!cursor.isFinished());
            }
            redis.select(0);
            if (owner.equals(redis.get(CLAIM_PREFIX + number))) {
                redis.del(CLAIM_PREFIX + number);
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
