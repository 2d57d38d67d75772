package dev.switchyard.accounting.metrics;

import dev.switchyard.accounting.LabelDirectory.TargetLabels;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * (operation, model, target, status) → {@link RequestMeters}: two map reads by already-interned keys and an
 * array read, no allocation once warm. Model and target labels come from the {@code LabelDirectory}, so the
 * maps are bounded by the configuration; statuses by the HTTP range.
 */
final class RequestMeterCache {
    private static final int STATUSES = 600;
    /** Slot for "status 200 but the committed stream broke". */
    private static final int BROKEN = STATUSES;
    private static final int SLOTS_PER_OPERATION = STATUSES + 1;

    private final MeterRegistry registry;
    private final String[] operations;
    private final ConcurrentHashMap<String, ConcurrentHashMap<TargetLabels, AtomicReferenceArray<RequestMeters>>> byModel =
            new ConcurrentHashMap<>();

    /** @param operations the operation label of each operation index */
    RequestMeterCache(MeterRegistry registry, String[] operations) {
        this.registry = registry;
        this.operations = operations;
    }

    RequestMeters get(int operation, String model, TargetLabels target, int status, boolean broken) {
        ConcurrentHashMap<TargetLabels, AtomicReferenceArray<RequestMeters>> byTarget = byModel.get(model);
        if (byTarget == null) byTarget = byModel.computeIfAbsent(model, m -> new ConcurrentHashMap<>());
        AtomicReferenceArray<RequestMeters> slots = byTarget.get(target);
        if (slots == null) slots = byTarget.computeIfAbsent(target, t -> new AtomicReferenceArray<>(operations.length * SLOTS_PER_OPERATION));
        int code = status > 0 && status < STATUSES ? status : 0;
        int slot = operation * SLOTS_PER_OPERATION + (broken ? BROKEN : code);
        RequestMeters m = slots.get(slot);
        if (m == null) {
            // Racing creators build equal bundles: the registry returns the same meters for the same ids.
            m = new RequestMeters(registry, operations[operation], model, target, code, broken);
            slots.set(slot, m);
        }
        return m;
    }
}
