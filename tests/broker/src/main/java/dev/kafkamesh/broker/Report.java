package dev.kafkamesh.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Services that did their job, probes refused, and failures with what was involved. */
final class Report {
    final Set<String> ranServices = ConcurrentHashMap.newKeySet();
    final Set<String> failedServices = ConcurrentHashMap.newKeySet();
    final List<String> denials = new ArrayList<>();
    final List<String> failures = new ArrayList<>();
    final boolean verbose;
    final List<String> tokensRefused = new ArrayList<>();
    final List<String> principalsNamed = new ArrayList<>();
    int importsHeld;
    int kcatHeld;
    int kcatScramOld;

    Report(boolean verbose) {
        this.verbose = verbose;
    }

    void ran(String topology, String service) {
        ranServices.add(topology + ":" + service);
    }

    synchronized void denial(String topology, String what) {
        denials.add(topology + ": " + what);
        if (verbose) {
            System.out.println("  refused  " + topology + ": " + what);
        }
    }

    /** A bad service-account token refused at authentication: also a denial held. */
    synchronized void tokenRefused(String topology, String what) {
        tokensRefused.add(topology + ": " + what);
        denial(topology, what);
    }

    synchronized void principalNamed(String topology, String what) {
        principalsNamed.add(topology + ": " + what);
        if (verbose) {
            System.out.println("  principal " + topology + ": " + what);
        }
    }

    synchronized void failure(String topology, String service, String what) {
        failedServices.add(topology + ":" + service);
        failures.add(topology + ": " + service + ": " + what);
        System.out.println("FAIL " + topology + ": " + service + ": " + what);
    }
}
