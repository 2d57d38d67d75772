package dev.switchyard.testkit;

import java.util.function.BooleanSupplier;

/**
 * Waits for a condition the test cannot get a future for (e.g. the gateway has processed a reply and
 * updated a target's health). It polls briefly and gives up after ten seconds with the condition's name, so
 * a broken gateway fails the test instead of hanging it; it never waits longer than the condition needs.
 */
public final class Eventually {
    private Eventually() {}

    public static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) throw new AssertionError("gave up waiting until " + what);
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, e);
            }
        }
    }
}
