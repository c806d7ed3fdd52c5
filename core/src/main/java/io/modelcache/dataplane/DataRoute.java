package io.modelcache.dataplane;

import io.modelcache.serialization.ControlMessage;

/**
 * Where and with what a load reads one partition's chunks on the data plane.
 *
 * @param host the node's data-plane host
 * @param port the node's data-plane port
 * @param ticket the ticket the node issued for this load
 */
public record DataRoute(String host, int port, Ticket ticket) implements ControlMessage {
}
