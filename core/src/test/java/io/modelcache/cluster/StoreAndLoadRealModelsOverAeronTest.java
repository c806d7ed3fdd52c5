package io.modelcache.cluster;

import io.modelcache.testkit.SharedMemory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store-and-load contract with chunks on the aeron data plane: each data node and the client embed a media
 * driver of their own and chunks travel over UDP between them. No driver directory outlives the cluster.
 */
class StoreAndLoadRealModelsOverAeronTest extends StoreAndLoadRealModelsContract {

    @BeforeAll
    static void startCluster() throws Exception {
        start("aeron");
    }

    @AfterAll
    static void leavesNothingInSharedMemory() throws Exception {
        stopCluster();
        SharedMemory.assertNoAeronDirectoryLeft();
    }
}
