package io.vigil.index.lucene;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.BytesRef;

/**
 * The sketch scan engine: one segment's sign sketches held in memory (scan words of every face
 * first, then the refinement words), its model ordinals and expiry times, and the Hamming scans
 * over them, split across threads for large segments. Read once per segment and cached by {@link
 * LuceneVectorIndex} until the segment closes.
 */
final class SketchSegment {
    final int maxDoc;
    final int words;
    final long[] scanWords;
    final long[] refineWords;
    final int[] model;
    final long[] expires;
    final String[] modelIds;

    /** Each face's purposes, and the cameras it may be matched on. */
    OrdinalSets purposes;

    OrdinalSets cameras;

    private SketchSegment(int maxDoc, int words, String[] modelIds) {
        this.maxDoc = maxDoc;
        this.words = words;
        int half = words / 2;
        this.scanWords = new long[maxDoc * half];
        this.refineWords = new long[maxDoc * (words - half)];
        this.model = new int[maxDoc];
        this.expires = new long[maxDoc];
        this.modelIds = modelIds;
        this.purposes = OrdinalSets.empty(maxDoc);
        this.cameras = OrdinalSets.empty(maxDoc);
        Arrays.fill(model, -1);
    }

    static SketchSegment read(LeafReader reader) throws IOException {
        int maxDoc = reader.maxDoc();
        BinaryDocValues sketches = reader.getBinaryDocValues(FaceDocuments.F_SKETCH);
        SortedDocValues models = reader.getSortedDocValues(FaceDocuments.F_MODEL_DV);
        NumericDocValues expiries = reader.getNumericDocValues(FaceDocuments.F_EXPIRES_DV);
        if (sketches == null || models == null || expiries == null) {
            return new SketchSegment(maxDoc, 0, new String[0]);
        }
        String[] ids = new String[models.getValueCount()];
        for (int o = 0; o < ids.length; o++) {
            ids[o] = models.lookupOrd(o).utf8ToString();
        }
        int words = -1;
        SketchSegment seg = null;
        for (int doc = sketches.nextDoc();
                doc != DocIdSetIterator.NO_MORE_DOCS;
                doc = sketches.nextDoc()) {
            BytesRef bytes = sketches.binaryValue();
            if (seg == null) {
                words = bytes.length / Long.BYTES;
                seg = new SketchSegment(maxDoc, words, ids);
            } else if (bytes.length != words * Long.BYTES) {
                throw new IllegalStateException(
                        "watchlist index segment mixes sketch sizes "
                                + words * Long.BYTES
                                + " and "
                                + bytes.length
                                + " bytes");
            }
            int half = words / 2;
            for (int w = 0; w < words; w++) {
                long v = FaceDocuments.word(bytes, w);
                if (w < half) {
                    seg.scanWords[doc * half + w] = v;
                } else {
                    seg.refineWords[doc * (words - half) + w - half] = v;
                }
            }
        }
        if (seg == null) {
            return new SketchSegment(maxDoc, 0, ids);
        }
        for (int doc = models.nextDoc();
                doc != DocIdSetIterator.NO_MORE_DOCS;
                doc = models.nextDoc()) {
            seg.model[doc] = models.ordValue();
        }
        for (int doc = expiries.nextDoc();
                doc != DocIdSetIterator.NO_MORE_DOCS;
                doc = expiries.nextDoc()) {
            seg.expires[doc] = expiries.longValue();
        }
        seg.purposes = OrdinalSets.read(reader, FaceDocuments.F_PURPOSE_DV, maxDoc);
        seg.cameras = OrdinalSets.read(reader, FaceDocuments.F_CAMERA_DV, maxDoc);
        return seg;
    }

    int ordinalOf(String modelId) {
        for (int o = 0; o < modelIds.length; o++) {
            if (modelIds[o].equals(modelId)) {
                return o;
            }
        }
        return -1;
    }

    /**
     * Docs whose scan-stage Hamming distance is at most {@code cutoff}, in doc order; split over
     * {@code threads} (the caller's and the pool's) when the segment is large.
     */
    int[] scan(long[] q, int cutoff, ExecutorService pool, int threads) throws IOException {
        if (pool == null || threads < 2 || maxDoc < LuceneVectorIndex.PARALLEL_MIN_FACES) {
            return scanRange(q, cutoff, 0, maxDoc);
        }
        int chunk = (maxDoc + threads - 1) / threads;
        List<Future<int[]>> rest = new ArrayList<>();
        for (int t = 1; t < threads; t++) {
            int from = Math.min(maxDoc, t * chunk);
            int to = Math.min(maxDoc, from + chunk);
            rest.add(pool.submit(() -> scanRange(q, cutoff, from, to)));
        }
        int[][] parts = new int[threads][];
        parts[0] = scanRange(q, cutoff, 0, Math.min(maxDoc, chunk));
        int total = parts[0].length;
        try {
            for (int t = 1; t < threads; t++) {
                parts[t] = rest.get(t - 1).get();
                total += parts[t].length;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while scanning the watchlist", e);
        } catch (ExecutionException e) {
            throw new IOException("watchlist scan failed", e.getCause());
        }
        int[] out = new int[total];
        int n = 0;
        for (int[] part : parts) {
            System.arraycopy(part, 0, out, n, part.length);
            n += part.length;
        }
        return out;
    }

    private int[] scanRange(long[] q, int cutoff, int from, int to) {
        int half = words / 2;
        int[] out = new int[Math.max(16, Math.min(to - from, 1024))];
        int n = 0;
        long[] s = scanWords;
        if (half == 8) {
            long q0 = q[0];
            long q1 = q[1];
            long q2 = q[2];
            long q3 = q[3];
            long q4 = q[4];
            long q5 = q[5];
            long q6 = q[6];
            long q7 = q[7];
            for (int doc = from, o = from * 8; doc < to; doc++, o += 8) {
                int h =
                        Long.bitCount(s[o] ^ q0)
                                + Long.bitCount(s[o + 1] ^ q1)
                                + Long.bitCount(s[o + 2] ^ q2)
                                + Long.bitCount(s[o + 3] ^ q3)
                                + Long.bitCount(s[o + 4] ^ q4)
                                + Long.bitCount(s[o + 5] ^ q5)
                                + Long.bitCount(s[o + 6] ^ q6)
                                + Long.bitCount(s[o + 7] ^ q7);
                if (h <= cutoff) {
                    if (n == out.length) {
                        out = Arrays.copyOf(out, n * 2);
                    }
                    out[n++] = doc;
                }
            }
        } else {
            for (int doc = from, o = from * half; doc < to; doc++, o += half) {
                int h = 0;
                for (int w = 0; w < half; w++) {
                    h += Long.bitCount(s[o + w] ^ q[w]);
                }
                if (h <= cutoff) {
                    if (n == out.length) {
                        out = Arrays.copyOf(out, n * 2);
                    }
                    out[n++] = doc;
                }
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * Keeps, in place at the front of {@code docs}, those whose distance over the whole sketch is
     * at most {@code cutoff}; returns how many.
     */
    int refine(int[] docs, long[] q, int cutoff) {
        int half = words / 2;
        int rest = words - half;
        int n = 0;
        for (int doc : docs) {
            int h = 0;
            int o = doc * half;
            for (int w = 0; w < half; w++) {
                h += Long.bitCount(scanWords[o + w] ^ q[w]);
            }
            if (h > cutoff) {
                continue;
            }
            o = doc * rest;
            for (int w = 0; w < rest; w++) {
                h += Long.bitCount(refineWords[o + w] ^ q[half + w]);
            }
            if (h <= cutoff) {
                docs[n++] = doc;
            }
        }
        return n;
    }
}
