package io.modelcache.dataplane;

/** The data-plane contract over Aeron UDP: the node and the loader each embed a media driver of their own. */
class AeronUdpDataPlaneTest extends AeronDataPlaneContract {

    @Override
    AeronMediaDriver clientDriverFor(AeronMediaDriver serverDriver) {
        return AeronMediaDriver.start(SETTINGS);
    }

    @Override
    String expectedMedium() {
        return "aeron:udp";
    }
}
