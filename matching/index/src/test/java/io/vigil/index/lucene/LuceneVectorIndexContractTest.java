package io.vigil.index.lucene;

import io.vigil.index.VectorIndex;
import io.vigil.index.VectorIndexContract;

class LuceneVectorIndexContractTest extends VectorIndexContract {
    @Override
    protected VectorIndex newIndex() {
        return LuceneVectorIndex.inMemory();
    }
}
