package io.vigil.matching;

class LuceneVectorIndexContractTest extends VectorIndexContract {
    @Override
    protected VectorIndex newIndex() {
        return LuceneVectorIndex.inMemory();
    }
}
