package dev.switchyard.accounting.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.TimeUnit;

/**
 * GC metrics read from the JVM's management beans when {@code /metrics} is scraped, instead of Micrometer's
 * {@code JvmGcMetrics}, which subscribes to a JMX notification for every collection: with the gateway's young
 * collections every few hundred milliseconds under load, handling those notifications cost the JVM's
 * notification thread about 0.3 µs per proxied request (per-thread CPU in the load bench). Read at scrape time,
 * the same totals cost nothing per request. Given up for it: the pause's {@code action}/{@code cause} labels and
 * the bytes promoted.
 *
 * <ul>
 *   <li>{@code jvm_gc_pause_seconds} (count and sum, per collector {@code gc}): collections and their total time;
 *   <li>{@code jvm_gc_memory_allocated_bytes_total}: bytes allocated by all threads (the allocation rate);
 *   <li>{@code jvm_gc_live_data_size_bytes}, {@code jvm_gc_max_data_size_bytes}: the old generation after the
 *       last collection, and its maximum.
 * </ul>
 */
final class PolledGcMetrics implements MeterBinder {
    @Override
    public void bindTo(MeterRegistry registry) {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            FunctionTimer.builder("jvm.gc.pause", gc, GarbageCollectorMXBean::getCollectionCount,
                            GarbageCollectorMXBean::getCollectionTime, TimeUnit.MILLISECONDS)
                    .description("Collections and the time they took").tag("gc", gc.getName()).register(registry);
        }
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                && threads.isThreadAllocatedMemorySupported()) {
            FunctionCounter.builder("jvm.gc.memory.allocated", threads, t -> t.getTotalThreadAllocatedBytes())
                    .description("Bytes allocated by all threads").baseUnit("bytes").register(registry);
        }
        MemoryPoolMXBean old = oldGeneration();
        if (old != null) {
            Gauge.builder("jvm.gc.live.data.size", old, p -> p.getCollectionUsage() == null ? Double.NaN : p.getCollectionUsage().getUsed())
                    .description("Old generation in use after the last collection").baseUnit("bytes").register(registry);
            Gauge.builder("jvm.gc.max.data.size", old, p -> p.getUsage().getMax())
                    .description("The old generation's maximum size").baseUnit("bytes").register(registry);
        }
    }

    /** The heap pool that outlives young collections (Tenured Gen, G1 Old Gen, …): the last heap pool a collector names. */
    private static MemoryPoolMXBean oldGeneration() {
        MemoryPoolMXBean found = null;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() != MemoryType.HEAP) continue;
            String n = p.getName().toLowerCase(java.util.Locale.ROOT);
            if (n.contains("old") || n.contains("tenured")) found = p;
        }
        return found;
    }
}
