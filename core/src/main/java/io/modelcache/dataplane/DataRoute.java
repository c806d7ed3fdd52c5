package io.modelcache.dataplane;

import io.modelcache.serialization.ControlMessage;

/**
 * Where and with what a load reads one partition's chunks on the data plane.
 *
 * @param transport the data plane's transport, {@code tcp} or {@code aeron}
 * @param host the node's data-plane host
 * @param port the node's data-plane port
 * @param ticket the ticket the node issued for this load
 */
public record DataRoute(String transport, String host, int port, Ticket ticket) implements ControlMessage {
}
