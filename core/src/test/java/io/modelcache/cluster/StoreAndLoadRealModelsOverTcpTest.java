package io.modelcache.cluster;

import org.junit.jupiter.api.BeforeAll;

/** The store-and-load contract with chunks on the tcp data plane. */
class StoreAndLoadRealModelsOverTcpTest extends StoreAndLoadRealModelsContract {

    @BeforeAll
    static void startCluster() throws Exception {
        start("tcp");
    }
}
