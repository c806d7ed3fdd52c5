package io.modelcache.client;

import io.modelcache.manifest.Manifest;
import io.modelcache.partition.PartitionEntity.PartitionInfo;

import java.util.List;
import java.util.Map;

/**
 * A stored model and where its bytes are.
 *
 * @param manifest the model's manifest
 * @param partitions what each partition replica holds and on which node, by partition then replica
 * @param bytesByNode bytes held per node address, every data node up included
 * @param unanswered partitions that did not answer in time
 */
public record ModelStat(Manifest manifest, List<PartitionInfo> partitions, Map<String, Long> bytesByNode,
                        List<String> unanswered) {

    /** @return the largest node's bytes over the mean of all data nodes' bytes; 1 is perfect, 0 when empty */
    public double balance() {
        long total = 0;
        long largest = 0;
        for (long bytes : bytesByNode.values()) {
            total += bytes;
            largest = Math.max(largest, bytes);
        }
        return total == 0 ? 0 : largest / ((double) total / bytesByNode.size());
    }
}
