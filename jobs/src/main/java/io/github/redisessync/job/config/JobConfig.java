package io.github.redisessync.job.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The YAML configuration of a job, as written: every key in kebab-case, every value unchecked until
 * {@link SettingsFactory} validates the whole and names the setting at fault. The schema is
 * documented in {@code conf/README.md}; an unknown key is an error.
 *
 * <p>Top-level keys: {@code redis}, {@code elasticsearch}, {@code source}, {@code mappings}, {@code
 * rollups}, {@code sink}, {@code checkpoint}. Fields are null where the file says nothing, so
 * defaults live in one place (each component's options) and overrides can tell "unset" from "set".
 */
public final class JobConfig {
    public Redis redis = new Redis();
    public Elasticsearch elasticsearch = new Elasticsearch();
    public Source source = new Source();
    public List<Mapping> mappings = new ArrayList<>();
    public List<Rollup> rollups = new ArrayList<>();
    public Sink sink = new Sink();
    public Checkpoint checkpoint = new Checkpoint();

    /** {@code redis}: the server. */
    public static final class Redis {
        /** redis://[user:password@]host:port[/db]; env REDIS_URL, option --redis. */
        public String url;

        /** The database to read, when the URL names none. */
        public Integer database;

        /** PEM file of the CA that signed a rediss:// server's certificate; env REDIS_CA_FILE. */
        public String caFile;
    }

    /** {@code elasticsearch}: the cluster and where index mapping files are. */
    public static final class Elasticsearch {
        /** http[s]://host:port; env ES_URL, option --es. */
        public String url;

        /** Where {@code <index>.json} is looked up for a mapping without mapping-file. */
        public String mappingsDir;

        /** PEM file of the CA that signed an https:// server's certificate; env ES_CA_FILE. */
        public String caFile;

        /** PEM client certificate, for mutual TLS; env ES_CLIENT_CERT_FILE. */
        public String clientCertFile;

        /** PEM private key of the client certificate; env ES_CLIENT_KEY_FILE. */
        public String clientKeyFile;
    }

    /** {@code source}: how Redis is read. */
    public static final class Source {
        /** keyspace, channel, stream or none. */
        public String tail;

        public String channel;
        public String stream;
        public Boolean configureNotifications;
        public Integer scanCount;
        public Integer maxKeysPerSecond;
        public Integer readBatchSize;
        public Integer maxValueElements;
        public Integer maxValueBytes;

        /** The old name of {@link #maxValueBytes}, when it limited strings only. */
        @Deprecated public Integer maxStringBytes;
    }

    /** One entry of {@code mappings}: a key pattern and how its keys become documents. */
    public static final class Mapping {
        /** A Redis glob (user:*) or a template with named parts (cart:{user}:{item}). */
        public String pattern;

        /** The target index or alias. */
        public String index;

        /** The id template, e.g. {user}-{item}; default: the parts joined by ':'. */
        public String id;

        /** hash (default), string, list, set, zset or json. */
        public String type;

        /** For strings: json (default) or raw. */
        public String stringFormat;

        /** The field of a raw string (default value) or a collection (default values). */
        public String valueField;

        /** For sorted sets: entries (default, [{member, score}]) or members. */
        public String zsetFormat;

        /** The index's settings and mappings (JSON), relative to the configuration file. */
        public String mappingFile;

        public List<String> include = new ArrayList<>();
        public List<String> exclude = new ArrayList<>();

        /** Redis field to document field. */
        public Map<String, String> rename = new LinkedHashMap<>();

        /** Document field to its type. */
        public Map<String, Field> fields = new LinkedHashMap<>();
    }

    /** The declared type of a document field. */
    public static final class Field {
        /** keyword, text, long, integer, double, float, boolean, date, json, ... */
        public String type;

        /** For dates: Elasticsearch format names or Java patterns joined by ||. */
        public String format;
    }

    /** One entry of {@code rollups}, bound to {@code RollupSpec}. */
    public static final class Rollup {
        public String name;
        public String sourceIndex;
        public String sourcePattern;
        public String targetIndex;

        /** The record's time; omitted: the Redis read time. */
        public String timeField;

        /** Tumbling window size; omitted: one running total. */
        public String window;

        public List<String> groupBy = new ArrayList<>();

        /** count, count(f), sum(f), avg(f), min(f), max(f). */
        public List<String> metrics = new ArrayList<>();

        public String allowedLateness;

        /**
         * The target index's settings and mappings (JSON), relative to the configuration file;
         * omitted: {@code <mappings-dir>/<target-index>.json} if it exists, else made from the
         * rollup. Named as a mapping's, since it is the same kind of file.
         */
        public String mappingFile;
    }

    /** {@code sink}: the Elasticsearch writer. */
    public static final class Sink {
        public Integer bulkFlushMaxActions;
        public Integer bulkFlushMaxSizeMb;
        public String bulkFlushInterval;
        public Integer backoffMaxRetries;
        public String backoffDelay;
        public String connectionTimeout;
        public String socketTimeout;
        public String versionGateTtl;

        /** Where dead letters go besides the io.github.redisessync.deadletter logger. */
        public DeadLetters deadLetters;
    }

    /**
     * {@code sink.dead-letters}: {@code {target: index, index: NAME}}, {@code {target: file, file:
     * PATH}} or {@code log}; the target may be left out when index or file says it.
     */
    public static final class DeadLetters {
        /** log (default), index or file. */
        public String target;

        /** The dead-letter index, for target index. */
        public String index;

        /** The dead-letter file (one per writer next to it), for target file. */
        public String file;

        public DeadLetters() {}

        /** The short form of the first versions, {@code dead-letters: log}. */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public DeadLetters(String target) {
            this.target = target;
        }
    }

    /** {@code checkpoint}. */
    public static final class Checkpoint {
        public String interval;
        public String timeout;
        public Integer tolerableFailures;
        public String dir;
    }
}
