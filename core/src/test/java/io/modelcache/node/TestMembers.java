package io.modelcache.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * Configurations of single members for tests that need an actor system set up like a member (serializers,
 * cluster provider, Artery limits) but no cluster. Lives in {@code io.modelcache.node} to reach
 * {@link ModelCacheNode#layered(Config)} without widening it.
 */
public final class TestMembers {

    private TestMembers() {
    }

    /**
     * A data member on a free loopback port, layered exactly as {@link ModelCacheNode} layers its own.
     *
     * @param overrides HOCON that wins over the member defaults, for example a small memory budget
     * @return the whole configuration, resolved
     */
    public static Config dataMember(String overrides) {
        return ModelCacheNode.layered(ConfigFactory.parseString(overrides)
            .withFallback(ConfigFactory.parseString("pekko.remote.artery.canonical.port=0\n"
                + "pekko.cluster.roles=[data]")));
    }
}
