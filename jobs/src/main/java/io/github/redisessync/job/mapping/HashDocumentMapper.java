package io.github.redisessync.job.mapping;

import java.util.List;

/**
 * The mapper of rules built without a {@link DocumentShape} (hashes, typed by the index mapping);
 * kept so that code written before {@link RecordMapper} compiles.
 *
 * @deprecated use {@link RecordMapper}, which maps every configured shape.
 */
@Deprecated
public final class HashDocumentMapper extends RecordMapper {
    private static final long serialVersionUID = 2L;

    public HashDocumentMapper(List<IndexRule> rules) {
        super(rules);
    }
}
