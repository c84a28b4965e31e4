package io.vigil.local.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of this process's threads, grouped by what they do (the job's frame analysis, the rest
 * of Flink, the broker, Kafka producers, JIT, GC), read from {@code /proc/self/task}. Java's own
 * thread timers miss the JIT and GC threads, which is where a short benchmark loses the most. On a
 * system without {@code /proc}, snapshots are empty and nothing is reported.
 */
final class ThreadCpu {
    /** Linux reports thread times in clock ticks of 1/100 s (USER_HZ) on every common platform. */
    private static final double TICKS_PER_SECOND = 100;

    private ThreadCpu() {}

    /** Thread id to (name, CPU seconds so far). */
    static Map<String, Map.Entry<String, Double>> snapshot() {
        Map<String, Map.Entry<String, Double>> out = new HashMap<>();
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return out;
        }
        try (Stream<Path> threads = Files.list(tasks)) {
            threads.forEach(
                    t -> {
                        try {
                            String stat = Files.readString(t.resolve("stat"));
                            String comm = Files.readString(t.resolve("comm")).strip();
                            // Fields after the parenthesised name: state is 3rd, utime 14th,
                            // stime 15th of the whole line.
                            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                            double seconds =
                                    (Long.parseLong(f[11]) + Long.parseLong(f[12]))
                                            / TICKS_PER_SECOND;
                            out.put(t.getFileName().toString(), Map.entry(comm, seconds));
                        } catch (IOException | RuntimeException e) {
                            // The thread ended between listing and reading: it has no time to add.
                        }
                    });
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** Cores used by each group between two snapshots, largest first. */
    static Map<String, Double> coresByGroup(
            Map<String, Map.Entry<String, Double>> before,
            Map<String, Map.Entry<String, Double>> after,
            double wallSeconds) {
        Map<String, Double> seconds = new HashMap<>();
        after.forEach(
                (tid, now) -> {
                    Map.Entry<String, Double> then = before.get(tid);
                    double used = now.getValue() - (then == null ? 0 : then.getValue());
                    if (used > 0) {
                        seconds.merge(group(now.getKey()), used, Double::sum);
                    }
                });
        Map<String, Double> cores = new LinkedHashMap<>();
        seconds.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(
                        e ->
                                cores.put(
                                        e.getKey(),
                                        Math.round(100 * e.getValue() / wallSeconds) / 100.0));
        return cores;
    }

    /** The group of a thread by its (15-character) OS name. */
    static String group(String comm) {
        if (comm.startsWith("decode-frames")) {
            return "job: frame analysis";
        }
        if (comm.contains("CompilerThre")) {
            return "JIT compiler";
        }
        if (comm.startsWith("GC Thread")
                || comm.startsWith("G1 ")
                || comm.equals("VM Thread")
                || comm.startsWith("VM Periodic")) {
            return "GC and VM";
        }
        if (comm.startsWith("kafka-producer")) {
            return "Kafka producers (publisher, sinks)";
        }
        if (comm.startsWith("track-consensus")
                || comm.startsWith("Source")
                || comm.contains("-sink")
                || comm.startsWith("audit-")) {
            return "job: sources, tracking, sinks";
        }
        if (comm.startsWith("data-plane")
                || comm.startsWith("kafka-")
                || comm.startsWith("ReplicaFetcher")
                || comm.startsWith("group-coordinat")
                || comm.startsWith("share-coordinat")
                || comm.startsWith("quorum-control")
                || comm.startsWith("TxnMarker")
                || comm.startsWith("executor-")
                || comm.startsWith("broker-")
                || comm.startsWith("AddPartitions")
                || comm.startsWith("ExpirationReape")
                || comm.startsWith("controller-")
                || comm.startsWith("raft-")) {
            return "Kafka broker";
        }
        if (comm.startsWith("frame-sender") || comm.startsWith("bench-") || comm.equals("main")) {
            return "bench publisher and reader";
        }
        if (comm.startsWith("flink-")
                || comm.startsWith("jobmanager")
                || comm.startsWith("Checkpoint")
                || comm.startsWith("OutputFlusher")
                || comm.startsWith("AsyncOperations")
                || comm.startsWith("Time Trigger")
                || comm.startsWith("metrics-")) {
            return "Flink runtime";
        }
        return "other";
    }
}
