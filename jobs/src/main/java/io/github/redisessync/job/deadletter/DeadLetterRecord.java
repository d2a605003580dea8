package io.github.redisessync.job.deadletter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import io.github.redisessync.connector.elasticsearch.RejectedDocument;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One dead letter as the dead-letter index and file hold it: one JSON object with the Redis key,
 * the target index, the document id when known, the reason (a code and a sentence), a bounded
 * excerpt of the value, when it happened, which stage refused it and the job's name.
 *
 * <p>Both stages produce the same shape: the mapping ({@code stage: mapping}, reason codes such as
 * {@code bad-date}) and Elasticsearch refusing a document ({@code stage: elasticsearch}, the
 * Elasticsearch error type as the code, e.g. {@code mapper_parsing_exception}).
 */
public final class DeadLetterRecord implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ERROR_TYPE = Pattern.compile("^([a-z0-9_]+): |type=([a-z0-9_]+)");

    /** Longest excerpt kept; the mapper and the sink cut theirs shorter already. */
    public static final int MAX_EXCERPT_CHARS = 1000;

    /** Longest reason kept: Elasticsearch's reasons quote the offending value. */
    public static final int MAX_REASON_CHARS = 2000;

    /** Stage of a record the mapper could not turn into a document. */
    public static final String MAPPING = "mapping";

    /** Stage of a document Elasticsearch refused for its content (400). */
    public static final String ELASTICSEARCH = "elasticsearch";

    /** The mapping of the dead-letter index: searchable by key, index and reason; excerpt kept. */
    static final String INDEX_BODY =
            "{\"settings\":{\"number_of_shards\":1},"
                    + "\"mappings\":{\"dynamic\":false,\"properties\":{"
                    + "\"dead_letter_id\":{\"type\":\"keyword\"},"
                    + "\"time\":{\"type\":\"date\"},"
                    + "\"job\":{\"type\":\"keyword\"},"
                    + "\"stage\":{\"type\":\"keyword\"},"
                    + "\"key\":{\"type\":\"keyword\",\"ignore_above\":1024},"
                    + "\"index\":{\"type\":\"keyword\"},"
                    + "\"id\":{\"type\":\"keyword\",\"ignore_above\":512},"
                    + "\"version\":{\"type\":\"long\"},"
                    + "\"reason_code\":{\"type\":\"keyword\"},"
                    + "\"reason\":{\"type\":\"text\"},"
                    // Kept in _source only: a value excerpt is for reading, not for searching.
                    + "\"excerpt\":{\"type\":\"keyword\",\"index\":false,\"doc_values\":false}"
                    + "}}}";

    private final String stage;
    private final String key;
    private final String index;
    private final String id;
    private final long version;
    private final String reasonCode;
    private final String reason;
    private final String excerpt;
    private final Instant time;
    private final String job;

    public DeadLetterRecord(
            String stage,
            String key,
            String index,
            String id,
            long version,
            String reasonCode,
            String reason,
            String excerpt,
            Instant time,
            String job) {
        this.stage = stage;
        this.key = key;
        this.index = index;
        this.id = id;
        this.version = version;
        this.reasonCode = reasonCode;
        this.reason = cut(reason, MAX_REASON_CHARS);
        this.excerpt = cut(excerpt, MAX_EXCERPT_CHARS);
        this.time = time;
        this.job = job;
    }

    /** A document Elasticsearch refused, as the sink's listener reported it. */
    public static DeadLetterRecord rejected(RejectedDocument document, Instant time, String job) {
        return new DeadLetterRecord(
                ELASTICSEARCH,
                document.origin(),
                document.index(),
                document.id(),
                document.version(),
                errorType(document.reason()),
                document.reason(),
                document.excerpt(),
                time,
                job);
    }

    /** The definition the dead-letter index is created with. */
    public static IndexDefinition indexDefinition() {
        return IndexDefinition.parse(INDEX_BODY, "the dead-letter mapping");
    }

    /**
     * The server's error type in a rejection's reason, as the sink writes it ({@code
     * mapper_parsing_exception: failed to parse ...}) or as older versions stored it ({@code
     * Elasticsearch exception [type=mapper_parsing_exception, reason=...]}); else {@code rejected}.
     */
    static String errorType(String message) {
        Matcher m = message == null ? null : ERROR_TYPE.matcher(message);
        if (m == null || !m.find()) {
            return "rejected";
        }
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    /**
     * The same for the same refusal of the same content, whenever it is made: a hash of stage,
     * index, id, key, reason and excerpt, and not of the version or time. After a restore the
     * source reads every key again with a new version, and a catch-up rescan does too; with the
     * version in it every replay would add a copy. The index uses it as {@code _id}, so a replay
     * overwrites; a reader of the file can drop repeats by it.
     */
    public String deadLetterId() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {stage, index, id, key, reasonCode, reason, excerpt}) {
                sha.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256.", e);
        }
    }

    /** The record as one JSON object; fields that are unknown are left out. */
    public ObjectNode toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("dead_letter_id", deadLetterId());
        node.put("time", time.toString());
        putIfSet(node, "job", job);
        node.put("stage", stage);
        putIfSet(node, "key", key);
        putIfSet(node, "index", index);
        putIfSet(node, "id", id);
        if (version >= 0) {
            node.put("version", version);
        }
        putIfSet(node, "reason_code", reasonCode);
        putIfSet(node, "reason", reason);
        putIfSet(node, "excerpt", excerpt);
        return node;
    }

    /** {@link #toJson()} on one line, without the line break. */
    public String toJsonLine() {
        return toJson().toString();
    }

    public String stage() {
        return stage;
    }

    public String key() {
        return key;
    }

    public String index() {
        return index;
    }

    public String reasonCode() {
        return reasonCode;
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    /** {@code text} up to {@code max} characters, never splitting a surrogate pair. */
    static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end) + "...";
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT, "%s dead letter key=%s index=%s %s", stage, key, index, reasonCode);
    }
}
