package io.vigil.job.gallery;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * The import report: one JSONL file per sink subtask ({@code report-N.jsonl}) in a directory the
 * TaskManager can write (a shared volume), appended to, so a rerun adds its lines after the first
 * run's.
 */
public final class ReportFileSink implements Sink<String> {
    private static final long serialVersionUID = 1L;

    private final String dir;

    public ReportFileSink(Path dir) {
        this.dir = dir.toString();
    }

    @Override
    public SinkWriter<String> createWriter(WriterInitContext context) throws IOException {
        Path d = Path.of(dir);
        Files.createDirectories(d);
        Path file = d.resolve("report-" + context.getTaskInfo().getIndexOfThisSubtask() + ".jsonl");
        BufferedWriter out =
                Files.newBufferedWriter(
                        file,
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
        return new SinkWriter<>() {
            @Override
            public void write(String line, Context c) throws IOException {
                out.write(line);
                out.write('\n');
            }

            @Override
            public void flush(boolean endOfInput) throws IOException {
                out.flush();
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        };
    }
}
