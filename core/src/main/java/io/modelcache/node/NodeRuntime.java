package io.modelcache.node;

import io.modelcache.dataplane.AeronDataClient;
import io.modelcache.dataplane.AeronDataServer;
import io.modelcache.dataplane.AeronMediaDriver;
import io.modelcache.dataplane.DataPlaneClient;
import io.modelcache.dataplane.DataPlaneServer;
import io.modelcache.dataplane.DataRoute;
import io.modelcache.dataplane.TcpDataClient;
import io.modelcache.dataplane.TcpDataServer;
import io.modelcache.dataplane.TicketTable;
import io.modelcache.loader.InFlightGauge;
import io.modelcache.loader.LoadDestination;
import io.modelcache.partition.PartitionEntity;
import io.modelcache.store.NodeStore;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.ExtensionIdProvider;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What one member's serializers and actors share: the node's store (on data nodes) and the destinations of
 * the loads running in this member, by load id.
 *
 * <p>The chunk serializer looks both up here, so that bytes arriving from the wire land straight in node
 * memory or in a load's destination without passing through an actor.
 *
 * <p>It also owns the member's data plane: the data server of the configured transport (data nodes), a client per
 * transport, and the Aeron media driver they share. The driver starts only when something uses Aeron (the
 * server of a node configured for it, or the first fetch over an {@code aeron} route), never in members that do
 * not, and stops when the actor system terminates.
 */
public final class NodeRuntime implements Extension {
    private static final Id ID = new Id();

    private final ModelCacheSettings settings;
    private final NodeStore store;
    private final ConcurrentHashMap<Long, LoadDestination> destinationsByLoad = new ConcurrentHashMap<>();
    private final TicketTable tickets = new TicketTable(System::nanoTime);
    private final ConcurrentHashMap<String, DataPlaneClient> dataClientsByTransport = new ConcurrentHashMap<>();
    private final InFlightGauge loadRequests = new InFlightGauge();
    private volatile DataPlaneServer dataServer;
    private AeronMediaDriver aeronDriver; // guarded by this
    private boolean isDataPlaneClosed; // guarded by this

    private NodeRuntime(ExtendedActorSystem system) {
        this.settings = ModelCacheSettings.from(system.settings().config());
        boolean isData = system.settings().config().getStringList("pekko.cluster.roles")
            .contains(PartitionEntity.DATA_ROLE);
        this.store = isData ? new NodeStore(settings.memoryBudgetBytes()) : null;
        dataClientsByTransport.put(TcpDataServer.TRANSPORT, new TcpDataClient(settings.dataSocketBufferBytes()));
        system.registerOnTermination(this::closeDataPlane);
    }

    /**
     * Starts this data node's data server for the configured transport ({@code tcp} or {@code aeron}), once.
     *
     * @param clusterHost the node's cluster hostname, used when the transport's {@code host} setting is empty
     * @throws IOException if the port cannot be bound
     * @throws IllegalStateException if the transport serves no data port ({@code artery}) or the Aeron media
     *     driver cannot start
     */
    public synchronized void startDataServer(String clusterHost) throws IOException {
        if (dataServer != null) {
            return;
        }
        dataServer = switch (settings.transport()) {
            case ModelCacheSettings.TCP -> TcpDataServer.start(
                settings.dataHost().isEmpty() ? clusterHost : settings.dataHost(), settings.dataPort(), tickets);
            case ModelCacheSettings.AERON -> AeronDataServer.start(aeronDriver(),
                settings.aeron().host().isEmpty() ? clusterHost : settings.aeron().host(), settings.aeron().port(),
                tickets);
            default -> throw new IllegalStateException("data-plane transport '" + settings.transport()
                + "' serves no data port");
        };
    }

    /** @return the data port's server, or {@code null} when this member serves none */
    public DataPlaneServer dataServer() {
        return dataServer;
    }

    /** @return the tickets this node issued */
    public TicketTable tickets() {
        return tickets;
    }

    /** @return the chunk requests this member's loads have in flight, over any transport */
    public InFlightGauge loadRequests() {
        return loadRequests;
    }

    /**
     * @return this member's client for the route's transport; the Aeron one (and its media driver) starts here
     *     on first use
     * @throws IllegalArgumentException naming the transport when this member has no client for it
     * @throws IllegalStateException if the Aeron media driver cannot start, or the member is shutting down
     */
    public DataPlaneClient dataClient(DataRoute route) {
        DataPlaneClient client = dataClientsByTransport.get(route.transport());
        if (client != null) {
            return client;
        }
        if (route.transport().equals(AeronDataServer.TRANSPORT)) {
            return aeronClient();
        }
        throw new IllegalArgumentException("data-plane transport '" + route.transport() + "' is unknown here; "
            + "known: " + TcpDataServer.TRANSPORT + ", " + AeronDataServer.TRANSPORT);
    }

    private synchronized DataPlaneClient aeronClient() {
        DataPlaneClient client = dataClientsByTransport.get(AeronDataServer.TRANSPORT);
        if (client == null) {
            client = new AeronDataClient(aeronDriver());
            dataClientsByTransport.put(AeronDataServer.TRANSPORT, client);
        }
        return client;
    }

    /**
     * @return this member's Aeron media driver, started on first use on a thread of its own: the first use may be
     *     a fetch thread, which the fetcher interrupts on a timeout, and an interrupt while Aeron's client awaits
     *     the driver would stop that client
     */
    private synchronized AeronMediaDriver aeronDriver() {
        if (isDataPlaneClosed) {
            throw new IllegalStateException("the data plane of this member is closed");
        }
        if (aeronDriver == null) {
            try {
                aeronDriver = CompletableFuture.supplyAsync(() -> AeronMediaDriver.start(settings.aeron()),
                    runnable -> Thread.ofPlatform().name("modelcache-aeron-start").daemon().start(runnable)).join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        return aeronDriver;
    }

    private synchronized void closeDataPlane() {
        isDataPlaneClosed = true;
        dataClientsByTransport.values().forEach(DataPlaneClient::close);
        DataPlaneServer server = dataServer;
        if (server != null) {
            server.close();
        }
        if (aeronDriver != null) {
            aeronDriver.close();
        }
    }

    /** @return the runtime of {@code system}, created on first use */
    public static NodeRuntime get(ActorSystem system) {
        return ID.get(system);
    }

    /** @return the runtime of a typed actor system */
    public static NodeRuntime get(org.apache.pekko.actor.typed.ActorSystem<?> system) {
        return ID.get(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system));
    }

    /** @return the settings this member started with */
    public ModelCacheSettings settings() {
        return settings;
    }

    /** @return the node's store, or {@code null} on a member without the {@code data} role */
    public NodeStore store() {
        return store;
    }

    /**
     * Makes a destination reachable from the wire under a fresh, random load id.
     *
     * @return the load id
     */
    public long register(LoadDestination destination) {
        while (true) {
            long loadId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
            if (destinationsByLoad.putIfAbsent(loadId, destination) == null) {
                return loadId;
            }
        }
    }

    /** Stops bytes for {@code loadId} from landing anywhere. */
    public void unregister(long loadId) {
        destinationsByLoad.remove(loadId);
    }

    /** @return the destination of a running load, or {@code null} */
    public LoadDestination destination(long loadId) {
        return destinationsByLoad.get(loadId);
    }

    private static final class Id extends AbstractExtensionId<NodeRuntime> implements ExtensionIdProvider {
        @Override
        public NodeRuntime createExtension(ExtendedActorSystem system) {
            return new NodeRuntime(system);
        }

        @Override
        public Id lookup() {
            return ID;
        }
    }
}
