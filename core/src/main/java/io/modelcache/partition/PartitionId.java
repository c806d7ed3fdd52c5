package io.modelcache.partition;

/**
 * Names one replica of one partition of one model: the entity id {@code name@version#partition.replica}, for
 * example {@code minilm@3f2a9c0d1e4b5a67#5.1}. The same string is the entity's shard id (see
 * {@link PartitionMessageExtractor}), so the allocation strategy can tell which shards are replicas of one
 * partition: they share everything up to the last dot.
 *
 * <p>Model names are letters, digits, {@code .}, {@code _} and {@code -}, and versions hex digits, so the
 * last {@code #} always separates the model from the partition and the dot after it the partition from the
 * replica.
 *
 * @param modelId the model's {@code name@version}; not empty, without {@code #}
 * @param partition the partition's index in the model, from 0
 * @param replica the replica's index, from 0 to the model's replica count less one
 */
public record PartitionId(String modelId, int partition, int replica) {

    /**
     * Checks the parts.
     *
     * @throws IllegalArgumentException naming the value when {@code modelId} is empty or holds {@code #}, or an
     *                                  index is negative
     */
    public PartitionId {
        if (modelId == null || modelId.isEmpty() || modelId.indexOf('#') >= 0) {
            throw new IllegalArgumentException("model id '" + modelId + "' must be name@version, not empty and "
                + "without '#'");
        }
        if (partition < 0 || replica < 0) {
            throw new IllegalArgumentException("partition " + partition + " and replica " + replica + " of model "
                + modelId + " must not be negative");
        }
    }

    /**
     * Reads an entity id written by {@link #format()}.
     *
     * @param entityId {@code name@version#partition.replica}
     * @return the replica it names
     * @throws IllegalArgumentException naming the id and what is wrong with it
     */
    public static PartitionId parse(String entityId) {
        int hash = entityId.lastIndexOf('#');
        int dot = entityId.indexOf('.', hash + 1);
        if (hash <= 0 || dot < 0) {
            throw new IllegalArgumentException("partition id '" + entityId + "' is not name@version#partition.replica");
        }
        return new PartitionId(entityId.substring(0, hash), index(entityId, hash + 1, dot, "partition"),
            index(entityId, dot + 1, entityId.length(), "replica"));
    }

    private static int index(String entityId, int start, int end, String what) {
        // Canonical digits only: Integer.parseInt would also take "+1" and "01", ids that name the same
        // replica as "1" but would not share its sibling prefix.
        boolean isCanonical = end > start && end - start <= 9 && (entityId.charAt(start) != '0' || end - start == 1);
        for (int i = start; isCanonical && i < end; i++) {
            isCanonical = entityId.charAt(i) >= '0' && entityId.charAt(i) <= '9';
        }
        if (!isCanonical) {
            throw new IllegalArgumentException("partition id '" + entityId + "' has " + what + " '"
                + entityId.substring(start, end) + "', not 1 to 9 decimal digits without leading zeros");
        }
        return Integer.parseInt(entityId, start, end, 10);
    }

    /** @return the entity id, {@code name@version#partition.replica} */
    public String format() {
        return siblingPrefix() + replica;
    }

    /**
     * @return {@code name@version#partition.}, the start of the id of every replica of this partition; no id of
     *         another partition starts with it
     */
    public String siblingPrefix() {
        return modelId + "#" + partition + ".";
    }

    @Override
    public String toString() {
        return format();
    }
}
