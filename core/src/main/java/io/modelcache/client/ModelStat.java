package io.modelcache.client;

import io.modelcache.manifest.Manifest;
import io.modelcache.partition.PartitionEntity.PartitionInfo;

import java.util.List;
import java.util.Map;

/**
 * A stored model and where its bytes are.
 *
 * @param manifest the model's manifest
 * @param partitions what each partition holds and on which node, by partition index
 * @param bytesByNode bytes held per node address
 * @param unanswered partitions that did not answer in time
 */
public record ModelStat(Manifest manifest, List<PartitionInfo> partitions, Map<String, Long> bytesByNode,
                        List<String> unanswered) {
}
