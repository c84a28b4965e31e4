package io.vigil.watchlist.reference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The enrolled faces a reviewer compares an alert with: for each indexed face, its aligned crop and
 * a wider crop of the enrolment photo (the face with a margin, no more of the photo), as JPEG files
 * under {@code dir/<entry id>/}. They live only as long as their entry: removal, erasure and expiry
 * delete the entry's directory, and {@link #sweep} deletes any left by an interrupted removal.
 * Nothing else keeps a copy.
 */
public final class ReferenceFaces {
    /** Which of a face's two images. */
    public enum Kind {
        ALIGNED("aligned"),
        WIDE("wide");

        final String suffix;

        Kind(String suffix) {
            this.suffix = suffix;
        }
    }

    /** The two images of one face. */
    public record Images(byte[] aligned, byte[] wide) {}

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final Path dir;

    public ReferenceFaces(Path dir) {
        this.dir = dir;
    }

    /**
     * Keeps nothing: for offline evaluations, whose enrolments no reviewer ever compares with.
     * Reads find nothing.
     */
    public static ReferenceFaces discarding() {
        return new ReferenceFaces(null);
    }

    /** Where the faces are kept (null when discarding), as the README and a receipt name it. */
    public Path dir() {
        return dir;
    }

    /** Writes a face's images (synced), replacing earlier ones of the same face. */
    public void put(String entryId, String faceId, Images images) {
        if (dir == null) {
            return;
        }
        Path d = dir.resolve(id(entryId));
        try {
            Files.createDirectories(d);
            write(d.resolve(id(faceId) + "." + Kind.ALIGNED.suffix + ".jpg"), images.aligned());
            write(d.resolve(id(faceId) + "." + Kind.WIDE.suffix + ".jpg"), images.wide());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store reference faces in " + d, e);
        }
    }

    public Optional<byte[]> get(String entryId, String faceId, Kind kind) {
        if (dir == null) {
            return Optional.empty();
        }
        Path f = dir.resolve(id(entryId)).resolve(id(faceId) + "." + kind.suffix + ".jpg");
        try {
            return Optional.of(Files.readAllBytes(f));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
    }

    /** Deletes an entry's faces; returns the bytes deleted. */
    public long deleteEntry(String entryId) {
        if (dir == null) {
            return 0;
        }
        Path d = dir.resolve(id(entryId));
        if (!Files.isDirectory(d)) {
            return 0;
        }
        long[] bytes = {0};
        try {
            Files.walkFileTree(
                    d,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path f, BasicFileAttributes a)
                                throws IOException {
                            bytes[0] += a.size();
                            Files.delete(f);
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult postVisitDirectory(Path p, IOException e)
                                throws IOException {
                            if (e != null) {
                                throw e;
                            }
                            Files.delete(p);
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete reference faces in " + d, e);
        }
        return bytes[0];
    }

    /** The entries that have stored faces. */
    public Set<String> entries() {
        Set<String> out = new TreeSet<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, Files::isDirectory)) {
            s.forEach(p -> out.add(p.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return out;
    }

    /** Deletes the faces of every entry not in {@code live}; returns the entries swept. */
    public int sweep(Set<String> live) {
        int swept = 0;
        for (String e : entries()) {
            if (!live.contains(e)) {
                deleteEntry(e);
                swept++;
            }
        }
        return swept;
    }

    /** Ids become path names: only letters, digits and dashes. */
    private static String id(String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new IllegalArgumentException("not an entry or face id: " + value);
        }
        return value;
    }

    private static void write(Path f, byte[] bytes) throws IOException {
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        Files.write(
                tmp,
                bytes,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE,
                StandardOpenOption.SYNC);
        Files.move(
                tmp,
                f,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
