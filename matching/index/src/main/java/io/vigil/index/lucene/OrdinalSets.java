package io.vigil.index.lucene;

import java.io.IOException;
import java.util.Arrays;
import java.util.Set;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.DocIdSetIterator;

/**
 * One segment's per-face sets of terms of a multi-valued doc-values field (an entry's purposes, its
 * cameras), as ordinals held in memory for the scan: face {@code doc}'s ordinals are {@code
 * ords[start[doc]..start[doc+1])}.
 */
final class OrdinalSets {
    private final int[] start;
    private final int[] ords;
    private final String[] terms;

    private OrdinalSets(int[] start, int[] ords, String[] terms) {
        this.start = start;
        this.ords = ords;
        this.terms = terms;
    }

    static OrdinalSets empty(int maxDoc) {
        return new OrdinalSets(new int[maxDoc + 1], new int[0], new String[0]);
    }

    static OrdinalSets read(LeafReader reader, String field, int maxDoc) throws IOException {
        SortedSetDocValues values = reader.getSortedSetDocValues(field);
        if (values == null) {
            return empty(maxDoc);
        }
        String[] terms = new String[(int) values.getValueCount()];
        for (int o = 0; o < terms.length; o++) {
            terms[o] = values.lookupOrd(o).utf8ToString();
        }
        int[] start = new int[maxDoc + 1];
        int[] ords = new int[Math.max(16, maxDoc)];
        int n = 0;
        int next = 0;
        for (int doc = values.nextDoc();
                doc != DocIdSetIterator.NO_MORE_DOCS;
                doc = values.nextDoc()) {
            for (; next <= doc; next++) {
                start[next] = n;
            }
            for (int i = 0; i < values.docValueCount(); i++) {
                if (n == ords.length) {
                    ords = Arrays.copyOf(ords, n * 2);
                }
                ords[n++] = (int) values.nextOrd();
            }
        }
        for (; next <= maxDoc; next++) {
            start[next] = n;
        }
        return new OrdinalSets(start, Arrays.copyOf(ords, n), terms);
    }

    /** This segment's ordinals of {@code wanted}, as a set for {@link #hasAny}. */
    boolean[] mask(Set<String> wanted) {
        boolean[] mask = new boolean[terms.length];
        for (int o = 0; o < terms.length; o++) {
            mask[o] = wanted.contains(terms[o]);
        }
        return mask;
    }

    /** Whether face {@code doc} holds one of the terms in {@code mask}. */
    boolean hasAny(int doc, boolean[] mask) {
        for (int i = start[doc]; i < start[doc + 1]; i++) {
            if (mask[ords[i]]) {
                return true;
            }
        }
        return false;
    }
}
