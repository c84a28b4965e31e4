package io.vigil.local.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One address per cluster process. Where this machine allows it (root, iproute2), each host is a
 * network namespace joined to a bridge by a veth pair, so that its link can be cut as a switch port
 * or cable would fail; processes run inside it with {@code ip netns exec}. Elsewhere each host is a
 * loopback address of its own (127.0.N.x): the processes still talk over real sockets, but no link
 * can be cut.
 *
 * <p>All names derive from {@code name} (at most 6 characters, as interface names are limited to
 * 15), so several clusters can coexist and a later start clears what a killed one left behind.
 */
public final class ClusterNetwork implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNetwork.class);

    private final String name;
    private final int subnet;
    private final boolean namespaces;
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private boolean attached;

    private ClusterNetwork(String name, int subnet, boolean namespaces) {
        this.name = name;
        this.subnet = subnet;
        this.namespaces = namespaces;
    }

    /**
     * Sets up {@code hosts} on subnet 10.253.{@code subnet}.0/24 (namespaces) or 127.0.{@code
     * subnet}.0 (loopback fallback); the host side (this JVM) is .1.
     */
    public static ClusterNetwork create(String name, int subnet, List<String> hosts) {
        if (!name.matches("[a-z][a-z0-9]{0,5}")) {
            throw new IllegalArgumentException(
                    "network name must be 1-6 lower-case letters or digits: " + name);
        }
        if (subnet < 1 || subnet > 254) {
            throw new IllegalArgumentException("subnet must be 1..254: " + subnet);
        }
        String reason = namespacesUnavailable();
        ClusterNetwork n = new ClusterNetwork(name, subnet, reason == null);
        if (reason != null) {
            LOG.warn(
                    "network namespaces are not available ({}): each process gets a loopback"
                            + " address, and links cannot be cut",
                    reason);
        }
        n.removeLeftovers(hosts);
        try {
            if (n.namespaces) {
                n.ip("link", "add", n.bridge(), "type", "bridge");
                n.ip("addr", "add", "10.253." + subnet + ".1/24", "dev", n.bridge());
                n.ip("link", "set", n.bridge(), "up");
            }
            int octet = 10;
            for (String h : hosts) {
                n.addHost(h, octet++);
            }
        } catch (RuntimeException e) {
            n.close();
            throw e;
        }
        return n;
    }

    /**
     * The network a running cluster made earlier (by another command): nothing is created, and
     * closing it removes nothing; addresses follow {@code hosts}' order as in {@link #create}.
     */
    public static ClusterNetwork existing(String name, int subnet, List<String> hosts) {
        boolean namespaces = !hosts.isEmpty() && namespaceExists(name + "-" + hosts.get(0));
        ClusterNetwork n = new ClusterNetwork(name, subnet, namespaces);
        int octet = 10;
        for (String h : hosts) {
            n.addresses.put(h, (namespaces ? "10.253." : "127.0.") + subnet + "." + octet++);
        }
        n.attached = true;
        return n;
    }

    private static boolean namespaceExists(String ns) {
        try {
            Process p = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out.lines().anyMatch(l -> l.split(" ")[0].equals(ns));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether hosts are namespaces whose links {@link #cut} can cut. */
    public boolean isolated() {
        return namespaces;
    }

    /** The address other processes reach {@code host} at. */
    public String address(String host) {
        String a = addresses.get(host);
        if (a == null) {
            throw new IllegalArgumentException("no host " + host + " in network " + name);
        }
        return a;
    }

    /** {@code command} as run on {@code host}. */
    public List<String> command(String host, List<String> command) {
        address(host);
        if (!namespaces) {
            return command;
        }
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", namespace(host)));
        c.addAll(command);
        return c;
    }

    /**
     * Cuts {@code host}'s link: its packets, and everyone's to it, are dropped from now on, as when
     * a cable or switch port fails (connections stay open and time out, nothing is reset).
     */
    public void cut(String host) {
        requireNamespaces("cut a link");
        ip("link", "set", hostSide(host), "down");
    }

    /** Restores a link cut by {@link #cut}. */
    public void heal(String host) {
        requireNamespaces("heal a link");
        ip("link", "set", hostSide(host), "up");
    }

    /**
     * Partitions {@code a} from {@code b} alone: packets between them are dropped silently in both
     * directions (blackhole routes in each namespace), while both keep every other link. A
     * TaskManager partitioned from the JobManager this way still reaches Kafka.
     */
    public void partition(String a, String b) {
        requireNamespaces("partition two hosts");
        ip("-n", namespace(a), "route", "add", "blackhole", address(b) + "/32");
        ip("-n", namespace(b), "route", "add", "blackhole", address(a) + "/32");
    }

    /** Ends a {@link #partition} between {@code a} and {@code b}. */
    public void heal(String a, String b) {
        requireNamespaces("heal a partition");
        ip("-n", namespace(a), "route", "del", "blackhole", address(b) + "/32");
        ip("-n", namespace(b), "route", "del", "blackhole", address(a) + "/32");
    }

    private void requireNamespaces(String what) {
        if (!namespaces) {
            throw new UnsupportedOperationException(
                    "cannot " + what + ": this network fell back to loopback addresses");
        }
    }

    private void addHost(String host, int octet) {
        if (!namespaces) {
            addresses.put(host, "127.0." + subnet + "." + octet);
            return;
        }
        String ns = namespace(host);
        ip("netns", "add", ns);
        ip("link", "add", hostSide(host), "type", "veth", "peer", "name", "eth0", "netns", ns);
        ip("-n", ns, "addr", "add", "10.253." + subnet + "." + octet + "/24", "dev", "eth0");
        ip("-n", ns, "link", "set", "eth0", "up");
        ip("-n", ns, "link", "set", "lo", "up");
        ip("link", "set", hostSide(host), "master", bridge());
        ip("link", "set", hostSide(host), "up");
        addresses.put(host, "10.253." + subnet + "." + octet);
    }

    private String bridge() {
        return name + "-br";
    }

    private String namespace(String host) {
        return name + "-" + host;
    }

    private String hostSide(String host) {
        String v = name + "-" + host;
        return v.length() > 15 ? v.substring(0, 15) : v;
    }

    /** Deletes what an earlier cluster of this name left (a killed run's namespaces, bridge). */
    private void removeLeftovers(List<String> hosts) {
        if (namespaces) {
            delete(name, hosts);
        }
    }

    /**
     * Deletes the namespaces of {@code hosts} (their veth pairs go with them) and the bridge of
     * network {@code name}, whichever exist.
     */
    public static void delete(String name, List<String> hosts) {
        ClusterNetwork n = new ClusterNetwork(name, 1, true);
        for (String h : hosts) {
            quietly("netns", "del", n.namespace(h));
            quietly("link", "del", n.hostSide(h));
        }
        quietly("link", "del", n.bridge());
    }

    @Override
    public void close() {
        if (namespaces && !attached) {
            delete(name, List.copyOf(addresses.keySet()));
        }
    }

    /** Null when namespaces can be made here, else why not. */
    private static String namespacesUnavailable() {
        String probe = "vigilprobe" + ProcessHandle.current().pid() % 100000;
        try {
            String out = run(List.of("ip", "netns", "add", probe));
            if (out != null) {
                return out;
            }
            run(List.of("ip", "netns", "del", probe));
            return null;
        } catch (IOException e) {
            return "no ip command: " + e.getMessage();
        }
    }

    private void ip(String... args) {
        List<String> c = new ArrayList<>(List.of("ip"));
        c.addAll(List.of(args));
        try {
            String failure = run(c);
            if (failure != null) {
                throw new IllegalStateException(String.join(" ", c) + " failed: " + failure);
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", c) + " failed", e);
        }
    }

    private static void quietly(String... args) {
        List<String> c = new ArrayList<>(List.of("ip"));
        c.addAll(List.of(args));
        try {
            run(c);
        } catch (IOException e) {
            LOG.debug("{}: {}", c, e.toString());
        }
    }

    /** Runs a command; null on success, else its output. */
    private static String run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? null : "exit " + p.exitValue() + ": " + out.strip();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + command, e);
        }
    }
}
