package io.modelcache.dataplane;

/** The data-plane contract over Aeron IPC: the loader attaches to the node's media driver. */
class AeronIpcDataPlaneTest extends AeronDataPlaneContract {

    @Override
    AeronMediaDriver clientDriverFor(AeronMediaDriver serverDriver) {
        return serverDriver;
    }

    @Override
    String expectedMedium() {
        return "aeron:ipc";
    }
}
