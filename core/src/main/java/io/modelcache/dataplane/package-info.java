/**
 * The data plane: chunk bytes between a data node's off-heap memory and a loader's destination, outside
 * Pekko messages.
 *
 * <p>Control stays on Pekko: a loader asks a partition entity for a {@link io.modelcache.dataplane.Ticket}
 * (random, bound to the load and the requesting member, expiring), and the entity answers with the node's
 * data-plane address. The loader's fetchers then ask the node's {@link io.modelcache.dataplane.TcpDataServer}
 * for chunks over a pooled TCP connection ({@link io.modelcache.dataplane.TcpDataClient}); the server writes
 * each chunk straight from its segment and the client reads it straight into place. A request without a
 * valid ticket reads nothing. The wire format is in {@link io.modelcache.dataplane.DataFrames}.
 *
 * <p>Threading: the server serves each connection on a virtual thread; the client is called from virtual
 * threads, one request per connection at a time; {@link io.modelcache.dataplane.TicketTable} is thread-safe.
 */
package io.modelcache.dataplane;
