package io.modelcache.client;

import io.modelcache.node.NodeAgent.NodeStatus;

import java.util.List;

/**
 * The cluster as one member sees it.
 *
 * @param members every member: address, roles, status
 * @param nodes what each data node that answered holds
 */
public record ClusterStatus(List<Member> members, List<NodeStatus> nodes) {

    /**
     * One member.
     *
     * @param address its address
     * @param roles its roles
     * @param status Up, Joining, Leaving, ...
     * @param isReachable whether this member's failure detector reaches it
     */
    public record Member(String address, List<String> roles, String status, boolean isReachable) {
    }
}
