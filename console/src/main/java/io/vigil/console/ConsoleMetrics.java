package io.vigil.console;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** The console's counters and gauges in the Prometheus text format (version 0.0.4). */
public final class ConsoleMetrics {
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final Map<String, LongSupplier> gauges = new ConcurrentHashMap<>();
    private final Map<String, String> help = new ConcurrentHashMap<>();
    private final Map<String, Supplier<Map<String, Double>>> families = new ConcurrentHashMap<>();

    /** Adds one to a counter; {@code labels} like {@code result="ok"} or empty. */
    public void inc(String name, String labels) {
        counters.computeIfAbsent(key(name, labels), k -> new AtomicLong()).incrementAndGet();
    }

    public void gauge(String name, String description, LongSupplier value) {
        gauges.put(name, value);
        help.put(name, description);
    }

    /** A gauge with one series per label set, e.g. one per camera. */
    public void gauges(String name, String description, Supplier<Map<String, Double>> series) {
        families.put(name, series);
        help.put(name, description);
    }

    public void describe(String name, String description) {
        help.put(name, description);
    }

    public long value(String name, String labels) {
        AtomicLong v = counters.get(key(name, labels));
        return v == null ? 0 : v.get();
    }

    public String scrape() {
        StringBuilder b = new StringBuilder();
        Map<String, Map<String, Long>> byName = new TreeMap<>();
        counters.forEach(
                (k, v) -> {
                    int brace = k.indexOf('{');
                    String name = brace < 0 ? k : k.substring(0, brace);
                    byName.computeIfAbsent(name, n -> new TreeMap<>()).put(k, v.get());
                });
        byName.forEach(
                (name, series) -> {
                    b.append("# HELP ").append(name).append(' ');
                    b.append(help.getOrDefault(name, name)).append('\n');
                    b.append("# TYPE ").append(name).append(" counter\n");
                    series.forEach((k, v) -> b.append(k).append(' ').append(v).append('\n'));
                });
        new TreeMap<>(gauges)
                .forEach(
                        (name, v) ->
                                b.append("# HELP ")
                                        .append(name)
                                        .append(' ')
                                        .append(help.get(name))
                                        .append("\n# TYPE ")
                                        .append(name)
                                        .append(" gauge\n")
                                        .append(name)
                                        .append(' ')
                                        .append(v.getAsLong())
                                        .append('\n'));
        new TreeMap<>(families)
                .forEach(
                        (name, series) -> {
                            b.append("# HELP ").append(name).append(' ').append(help.get(name));
                            b.append("\n# TYPE ").append(name).append(" gauge\n");
                            new TreeMap<>(series.get())
                                    .forEach(
                                            (labels, v) ->
                                                    b.append(name)
                                                            .append('{')
                                                            .append(labels)
                                                            .append("} ")
                                                            .append(v)
                                                            .append('\n'));
                        });
        return b.toString();
    }

    private static String key(String name, String labels) {
        return labels == null || labels.isEmpty() ? name : name + "{" + labels + "}";
    }
}
