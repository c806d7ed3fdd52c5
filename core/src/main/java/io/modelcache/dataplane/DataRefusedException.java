package io.modelcache.dataplane;

/** A data node answered a request with a refusal; the connection stays usable. */
public final class DataRefusedException extends Exception {
    private final int status;

    /**
     * @param chunkId the chunk asked for
     * @param status the node's status code, see {@link DataFrames}
     */
    public DataRefusedException(int chunkId, int status) {
        super("data node refused chunk " + chunkId + ": " + DataFrames.statusName(status));
        this.status = status;
    }

    /** @return the node's status code */
    public int status() {
        return status;
    }
}
