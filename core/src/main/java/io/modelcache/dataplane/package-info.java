/**
 * The data plane: chunk bytes between a data node's off-heap memory and a loader's destination, outside
 * Pekko messages.
 *
 * <p>Control stays on Pekko: a loader asks a partition entity for a {@link io.modelcache.dataplane.Ticket}
 * (random, bound to the load and the requesting member, expiring), and the entity answers with a
 * {@link io.modelcache.dataplane.DataRoute}: the node's transport, host and port. The loader's fetchers then ask
 * the node for chunks through the {@link io.modelcache.dataplane.DataPlaneClient} of that transport; a request
 * without a valid ticket reads nothing, and every transport refuses with the same statuses
 * ({@link io.modelcache.dataplane.DataFrames}). Two transports:
 * <ul>
 *   <li>{@code tcp}: {@link io.modelcache.dataplane.TcpDataServer} serves a data port, and
 *       {@link io.modelcache.dataplane.TcpDataClient} reads over pooled connections; frames in
 *       {@link io.modelcache.dataplane.DataFrames}.</li>
 *   <li>{@code aeron}: {@link io.modelcache.dataplane.AeronDataServer} takes requests over UDP (the route's host
 *       and port) and IPC on the node's {@link io.modelcache.dataplane.AeronMediaDriver};
 *       {@link io.modelcache.dataplane.AeronDataClient} uses IPC when its driver is the node's, UDP otherwise;
 *       frames in {@code AeronFrames}, settings in {@link io.modelcache.dataplane.AeronSettings}.</li>
 * </ul>
 * Either way the server sends straight from the chunk's segment and the client places bytes straight into the
 * destination, with no copy on the heap.
 *
 * <p>Threading: the TCP server serves each connection on a virtual thread; the Aeron server polls on one thread
 * and answers each request on a virtual thread; the Aeron client polls answers on one thread. Clients are called
 * from virtual threads and block; all clients, servers and {@link io.modelcache.dataplane.TicketTable} are
 * thread-safe. An {@link io.modelcache.dataplane.AeronMediaDriver} is closed by whoever started it, after the
 * server and client that use it.
 */
package io.modelcache.dataplane;
