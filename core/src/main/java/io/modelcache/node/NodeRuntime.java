package io.modelcache.node;

import io.modelcache.dataplane.DataPlaneClient;
import io.modelcache.dataplane.DataPlaneServer;
import io.modelcache.dataplane.DataRoute;
import io.modelcache.dataplane.TcpDataClient;
import io.modelcache.dataplane.TcpDataServer;
import io.modelcache.dataplane.TicketTable;
import io.modelcache.loader.LoadDestination;
import io.modelcache.partition.PartitionEntity;
import io.modelcache.store.NodeStore;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.ExtensionIdProvider;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What one member's serializers and actors share: the node's store (on data nodes) and the destinations of
 * the loads running in this member, by load id.
 *
 * <p>The chunk serializer looks both up here, so that bytes arriving from the wire land straight in node
 * memory or in a load's destination without passing through an actor.
 */
public final class NodeRuntime implements Extension {
    private static final Id ID = new Id();

    private final ModelCacheSettings settings;
    private final NodeStore store;
    private final ConcurrentHashMap<Long, LoadDestination> destinationsByLoad = new ConcurrentHashMap<>();
    private final TicketTable tickets = new TicketTable(System::nanoTime);
    private final Map<String, DataPlaneClient> dataClientsByTransport;
    private volatile DataPlaneServer dataServer;

    private NodeRuntime(ExtendedActorSystem system) {
        this.settings = ModelCacheSettings.from(system.settings().config());
        boolean isData = system.settings().config().getStringList("pekko.cluster.roles")
            .contains(PartitionEntity.DATA_ROLE);
        this.store = isData ? new NodeStore(settings.memoryBudgetBytes()) : null;
        this.dataClientsByTransport = Map.of(TcpDataServer.TRANSPORT,
            new TcpDataClient(settings.dataSocketBufferBytes()));
        system.registerOnTermination(this::closeDataPlane);
    }

    /**
     * Starts this data node's data port, once.
     *
     * @param clusterHost the node's cluster hostname, used when {@code modelcache.data-plane.tcp.host} is empty
     * @throws IOException if the port cannot be bound
     */
    public synchronized void startDataServer(String clusterHost) throws IOException {
        if (dataServer == null) {
            String host = settings.dataHost().isEmpty() ? clusterHost : settings.dataHost();
            dataServer = TcpDataServer.start(host, settings.dataPort(), tickets);
        }
    }

    /** @return the data port's server, or {@code null} when this member serves none */
    public DataPlaneServer dataServer() {
        return dataServer;
    }

    /** @return the tickets this node issued */
    public TicketTable tickets() {
        return tickets;
    }

    /**
     * @return this member's client for the route's transport
     * @throws IllegalArgumentException naming the transport when this member has no client for it
     */
    public DataPlaneClient dataClient(DataRoute route) {
        DataPlaneClient client = dataClientsByTransport.get(route.transport());
        if (client == null) {
            throw new IllegalArgumentException("data-plane transport '" + route.transport() + "' is unknown here; "
                + "known: " + dataClientsByTransport.keySet());
        }
        return client;
    }

    private void closeDataPlane() {
        dataClientsByTransport.values().forEach(DataPlaneClient::close);
        DataPlaneServer server = dataServer;
        if (server != null) {
            server.close();
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
