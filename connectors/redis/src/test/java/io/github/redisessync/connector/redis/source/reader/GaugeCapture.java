package io.github.redisessync.connector.redis.source.reader;

import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/** A metric group that keeps the gauges registered on it and its subgroups, by dotted path. */
final class GaugeCapture extends UnregisteredMetricsGroup {
    private final Map<String, Gauge<?>> gauges;
    private final String prefix;

    GaugeCapture() {
        this(new TreeMap<>(), "");
    }

    private GaugeCapture(Map<String, Gauge<?>> gauges, String prefix) {
        this.gauges = gauges;
        this.prefix = prefix;
    }

    @Override
    public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
        gauges.put(prefix + name, gauge);
        return gauge;
    }

    @Override
    public MetricGroup addGroup(String key, String value) {
        return new GaugeCapture(gauges, prefix + key + "." + value + ".");
    }

    /** The value of the gauge at {@code path}, e.g. {@code tail.t1.tailSubscribed}. */
    Object value(String path) {
        Gauge<?> gauge = gauges.get(path);
        if (gauge == null) {
            throw new AssertionError("No gauge " + path + "; registered: " + gauges.keySet());
        }
        return gauge.getValue();
    }
}
