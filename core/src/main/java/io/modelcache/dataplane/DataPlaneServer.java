package io.modelcache.dataplane;

/**
 * A data node's side of one data-plane transport: serves chunk requests that carry a ticket from this node's
 * {@link TicketTable}, and refuses every other request without affecting the rest.
 */
public interface DataPlaneServer extends AutoCloseable {

    /** @return the transport's name as configured ({@code tcp}, {@code aeron}) */
    String transport();

    /** @return the host loaders reach this server on */
    String host();

    /** @return the port loaders reach this server on */
    int port();

    /** @return requests refused since start (bad ticket, range, chunk or frame) */
    long refusals();

    /** @return chunk ranges served whole since start */
    long served();

    /** Stops serving and releases the port. */
    @Override
    void close();
}
