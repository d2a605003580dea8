package io.github.redisessync.job.mapping;

import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.job.deadletter.DeadLetter;
import io.github.redisessync.job.deadletter.DeadLetterReason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Runs the {@link RecordMapper} in the job: documents go on, dead letters to a side output, and a
 * source's catch-up marker becomes a {@link SyncAction#catchUpFinished} marker in the same stream,
 * after the documents of the rescan it ends (the rollups need that order).
 *
 * <p>Counts go to accumulators as well as metrics because the launcher reads accumulators from the
 * job client to report progress and the final summary.
 */
public class RecordMappingFunction extends ProcessFunction<RedisRecord, SyncAction> {
    private static final long serialVersionUID = 1L;

    /** Where records that cannot become documents go. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    public static final String KEYS_READ = "keys-read";
    public static final String DEAD_LETTER_COUNT = "dead-letters";

    /** Prefix of the per-reason dead-letter accumulators, e.g. {@code dead-letters.bad-date}. */
    public static final String DEAD_LETTERS_PREFIX = "dead-letters.";

    /** Prefix of the per-index accumulators of documents written (indexed or deleted). */
    public static final String DOCUMENTS_PREFIX = "documents.";

    private final RecordMapper mapper;

    private transient LongCounter keysRead;
    private transient LongCounter deadLetters;
    private transient Map<String, LongCounter> documentsByIndex;
    private transient Counter deadLetterMetric;
    private transient Map<String, Counter> deadLettersByReason;
    private transient Map<String, LongCounter> deadLetterAccumulators;
    private transient volatile long readLagMillis;

    public RecordMappingFunction(RecordMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public void open(Configuration parameters) {
        keysRead = accumulator(KEYS_READ);
        deadLetters = accumulator(DEAD_LETTER_COUNT);
        documentsByIndex = new HashMap<>();
        for (IndexRule rule : mapper.rules()) {
            documentsByIndex.put(rule.index(), accumulator(DOCUMENTS_PREFIX + rule.index()));
        }
        deadLetterMetric = getRuntimeContext().getMetricGroup().counter("deadLetters");
        // How long ago Redis read the latest record (its version is the server time of the read):
        // during the tail, the delay of a change on its way in. Two clocks are compared, Redis's
        // and this TaskManager's, so skew between hosts shows up here too.
        getRuntimeContext()
                .getMetricGroup()
                .<Long, Gauge<Long>>gauge("readLagMillis", () -> readLagMillis);
        // One counter per reason (deadLetterReason.<code>.deadLetters), so a dashboard shows
        // which kind of bad data arrives without reading the dead-letter log.
        deadLettersByReason = new HashMap<>();
        deadLetterAccumulators = new HashMap<>();
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLettersByReason.put(
                    reason.code(),
                    getRuntimeContext()
                            .getMetricGroup()
                            .addGroup("deadLetterReason", reason.code())
                            .counter("deadLetters"));
            deadLetterAccumulators.put(
                    reason.code(), accumulator(DEAD_LETTERS_PREFIX + reason.code()));
        }
    }

    private LongCounter accumulator(String name) {
        LongCounter counter = new LongCounter();
        getRuntimeContext().addAccumulator(name, counter);
        return counter;
    }

    @Override
    public void processElement(RedisRecord record, Context ctx, Collector<SyncAction> out) {
        if (record.isCatchUpMarker()) {
            out.collect(
                    SyncAction.catchUpFinished(
                            indexesCovered(record.catchUpPatterns()), record.getVersion()));
            return;
        }
        keysRead.add(1);
        readLagMillis = Math.max(0, System.currentTimeMillis() - record.getVersion() / 1000);
        MappingResult result = mapper.map(record);
        if (result.isDocument()) {
            documentsByIndex.get(result.document().getIndex()).add(1);
            out.collect(SyncAction.write(result.document()));
        } else {
            deadLetters.add(1);
            deadLetterMetric.inc();
            String code = result.deadLetter().getReasonCode();
            if (code != null) {
                deadLettersByReason.get(code).inc();
                deadLetterAccumulators.get(code).add(1);
            }
            ctx.output(DEAD_LETTERS, result.deadLetter());
        }
    }

    /**
     * The indexes whose every key pattern is in {@code patterns}: a rescan of those read all their
     * keys. An index also written by a pattern not rescanned is left out, since its other keys were
     * not read again.
     */
    List<String> indexesCovered(List<String> patterns) {
        Set<String> rescanned = new HashSet<>(patterns);
        Set<String> covered = new LinkedHashSet<>();
        Set<String> partly = new HashSet<>();
        for (IndexRule rule : mapper.rules()) {
            (rescanned.contains(rule.pattern().glob()) ? covered : partly).add(rule.index());
        }
        covered.removeAll(partly);
        return new ArrayList<>(covered);
    }
}
