package io.github.redisessync.tools.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisessync.connector.elasticsearch.DocumentAction;
import io.github.redisessync.connector.elasticsearch.ElasticsearchDocuments;
import io.github.redisessync.connector.redis.client.RedisKeyReader;
import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.job.SyncJobSetup;
import io.github.redisessync.job.mapping.IndexRule;
import io.github.redisessync.job.mapping.KeyPattern;
import io.github.redisessync.job.mapping.MappingResult;
import io.github.redisessync.job.mapping.RecordMapper;
import io.github.redisessync.job.sweep.ExtraDocuments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares Redis with Elasticsearch for every configured key pattern, in two streaming passes, so
 * memory stays bounded by one batch whatever the number of keys.
 *
 * <p>Pass one scans Redis, maps each key exactly as the job does and fetches the same ids from
 * Elasticsearch: documents missing or differing. Pass two scrolls the index's ids and checks that
 * their keys exist: extra documents. Repairs are written with external versions taken from Redis's
 * clock, like the job's own writes, so a repair never overwrites a newer change.
 */
public final class SyncVerifier {
    private final SyncJobSetup settings;
    private final RecordMapper mapper;
    private final int batchSize;
    private final int sampleSize;
    private final boolean repair;

    public SyncVerifier(SyncJobSetup settings, int batchSize, int sampleSize, boolean repair) {
        this.settings = settings;
        this.mapper = new RecordMapper(settings.rules());
        this.batchSize = batchSize;
        this.sampleSize = sampleSize;
        this.repair = repair;
    }

    /** Runs both passes for every index; one report per index, in configuration order. */
    public List<VerifyReport> run() throws IOException {
        Map<String, VerifyReport> reports = new LinkedHashMap<>();
        settings.rules()
                .forEach(
                        r ->
                                reports.putIfAbsent(
                                        r.index(), new VerifyReport(r.index(), sampleSize)));
        // The job's source options: verify reads every key as the source does, with its limits.
        try (RedisKeyReader redis = RedisKeyReader.open(settings.source());
                ElasticsearchDocuments es =
                        new ElasticsearchDocuments(settings.elasticsearchUrl())) {
            for (String index : reports.keySet()) {
                es.refresh(index);
            }
            for (IndexRule rule : settings.rules()) {
                VerifyReport report = reports.get(rule.index());
                redis.scan(
                        rule.pattern().glob(),
                        batchSize,
                        keys -> compareKeys(rule, keys, redis, es, report));
            }
            for (VerifyReport report : reports.values()) {
                es.scrollIds(report.index, batchSize, ids -> findExtras(ids, redis, es, report));
            }
        }
        return new ArrayList<>(reports.values());
    }

    private void compareKeys(
            IndexRule rule,
            List<byte[]> keys,
            RedisKeyReader redis,
            ElasticsearchDocuments es,
            VerifyReport report)
            throws IOException {
        Map<String, DocumentAction> expected = new LinkedHashMap<>();
        for (RedisRecord record : redis.read(keys)) {
            String key = new String(record.getKey(), StandardCharsets.UTF_8);
            if (firstRuleFor(key) != rule) {
                continue; // an earlier pattern claims the key; its index is checked there
            }
            report.redisKeys++;
            MappingResult result = mapper.map(record);
            if (!result.isDocument()) {
                report.deadLetters++;
                continue;
            }
            expected.put(result.document().getId(), result.document());
        }
        if (expected.isEmpty()) {
            return;
        }
        Map<String, JsonNode> actual = es.get(rule.index(), new ArrayList<>(expected.keySet()));
        StringBuilder repairs = new StringBuilder();
        for (DocumentAction action : expected.values()) {
            JsonNode document = actual.get(action.getId());
            if (action.getOp() == DocumentAction.Op.DELETE) {
                report.redisKeys--; // gone between SCAN and read: not a key any more
                if (document != null) {
                    report.extra++;
                    report.sample("extra", describe(action) + " (key deleted while verifying)");
                    ElasticsearchDocuments.appendVersionedDelete(
                            repairs, action.getIndex(), action.getId(), action.getVersion());
                }
                continue;
            }
            JsonNode wanted = parse(action.getSource());
            String difference =
                    document == null ? null : JsonComparison.firstDifference(wanted, document);
            if (document == null) {
                report.missing++;
                report.sample("missing", describe(action));
            } else if (difference != null) {
                report.differing++;
                report.sample("differing", describe(action) + ": " + difference);
            } else {
                report.equal++;
                continue;
            }
            ElasticsearchDocuments.appendVersioned(repairs, action);
        }
        flushRepairs(repairs, es, report);
    }

    private void findExtras(
            List<String> ids,
            RedisKeyReader redis,
            ElasticsearchDocuments es,
            VerifyReport report) {
        report.documents += ids.size();
        List<KeyPattern> patterns = new ArrayList<>();
        for (IndexRule rule : settings.rules()) {
            if (rule.index().equals(report.index)) {
                patterns.add(rule.pattern());
            }
        }
        ExtraDocuments.Found extras = new ExtraDocuments(patterns).find(ids, redis);
        StringBuilder repairs = new StringBuilder();
        for (String id : extras.ids) {
            report.extra++;
            report.sample("extra", "id " + id + ": no key of it exists in Redis");
            ElasticsearchDocuments.appendVersionedDelete(
                    repairs, report.index, id, extras.timeMicros);
        }
        flushRepairs(repairs, es, report);
    }

    private void flushRepairs(
            StringBuilder repairs, ElasticsearchDocuments es, VerifyReport report) {
        if (!repair || repairs.length() == 0) {
            return;
        }
        ElasticsearchDocuments.BulkResult outcome = es.bulk(repairs.toString());
        report.repairsLeftToNewerWrites += outcome.newerKept();
        report.repairFailures += outcome.failed();
        if (outcome.firstError() != null) {
            report.sample("repair failed", outcome.firstError());
        }
        long deletes = repairs.toString().lines().filter(l -> l.startsWith("{\"delete\"")).count();
        report.repairedDeletes += Math.min(deletes, outcome.written());
        report.repairedWrites += Math.max(0, outcome.written() - deletes);
    }

    private IndexRule firstRuleFor(String key) {
        for (IndexRule rule : settings.rules()) {
            if (rule.pattern().matches(key)) {
                return rule;
            }
        }
        return null;
    }

    private static String describe(DocumentAction action) {
        return action.getOrigin() + " (id " + action.getId() + ")";
    }

    private static JsonNode parse(byte[] json) {
        try {
            return ElasticsearchDocuments.JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("The mapper wrote invalid JSON", e);
        }
    }
}
