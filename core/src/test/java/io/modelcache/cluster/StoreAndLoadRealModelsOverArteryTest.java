package io.modelcache.cluster;

import org.junit.jupiter.api.BeforeAll;

/** The store-and-load contract with chunks on the artery data plane. */
class StoreAndLoadRealModelsOverArteryTest extends StoreAndLoadRealModelsContract {

    @BeforeAll
    static void startCluster() throws Exception {
        start("artery");
    }
}
