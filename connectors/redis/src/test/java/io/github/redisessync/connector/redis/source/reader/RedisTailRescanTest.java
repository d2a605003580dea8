package io.github.redisessync.connector.redis.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.connector.redis.source.split.RedisTailSplit;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which slots a topology gap's rescan covers, and how slot sets read in the logs. */
class RedisTailRescanTest {

    private static final RedisTailSplit TAIL =
            new RedisTailSplit(
                    "127.0.0.1:7000", 0, RedisTailMode.KEYSPACE, "", List.of("k:*"), false);

    @Test
    void aRescanOfGainedSlotsWidensOneUnderWayAndNeverNarrowsOneOfEveryKey() {
        BitSet gained = slots(10, 19);

        assertThat(RedisTailRescan.widen(null, gained)).isEqualTo(gained);
        assertThat(RedisTailRescan.widen(new RedisTailRescan(TAIL, slots(0, 4), 1), gained))
                .isEqualTo(union(slots(0, 4), gained));
        assertThat(RedisTailRescan.widen(new RedisTailRescan(TAIL, null, 1), gained)).isNull();
    }

    @Test
    void slotSetsReadAsRanges() {
        BitSet set = union(slots(0, 99), slots(200, 200));
        set.or(slots(16000, 16383));

        assertThat(RedisSlotWatch.ranges(set)).isEqualTo("0-99,200,16000-16383");
        assertThat(RedisSlotWatch.ranges(new BitSet())).isEmpty();
    }

    private static BitSet slots(int from, int to) {
        BitSet set = new BitSet();
        set.set(from, to + 1);
        return set;
    }

    private static BitSet union(BitSet a, BitSet b) {
        BitSet set = (BitSet) a.clone();
        set.or(b);
        return set;
    }
}
