package dev.switchyard.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Captures every log line the gateway writes while it is open — at DEBUG for Switchyard's own loggers, whatever the
 * console shows — so a test can prove that no secret reached a log line: the formatted message, its arguments and
 * any exception (messages and stack frames) are all searched.
 */
public final class LogCapture implements AutoCloseable {
    /** Captures may nest (a harness and a test's own): the first one quiets the console, the last one restores it. */
    private static int open;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root;
    private final Logger ours;
    private static Level oursLevel;

    private LogCapture() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ours = ctx.getLogger("dev.switchyard");
        appender.setContext(ctx);
        appender.start();
        synchronized (LogCapture.class) {
            if (open++ == 0) {
                oursLevel = ours.getLevel();
                quietConsole();
            }
        }
        root.addAppender(appender);
        ours.setLevel(Level.DEBUG);
    }

    /** DEBUG lines are captured, but the console keeps showing INFO and up only. */
    private void quietConsole() {
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> a = it.next();
            if (!(a instanceof ListAppender)) a.addFilter(new ch.qos.logback.core.filter.Filter<>() {
                @Override
                public ch.qos.logback.core.spi.FilterReply decide(ILoggingEvent e) {
                    return e.getLevel().isGreaterOrEqual(Level.INFO) ? ch.qos.logback.core.spi.FilterReply.NEUTRAL
                            : ch.qos.logback.core.spi.FilterReply.DENY;
                }
            });
        }
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    /** Every captured line as text: message, then each exception's class, message and frames. */
    public synchronized List<String> lines() {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : List.copyOf(appender.list)) {
            StringBuilder b = new StringBuilder(e.getLevel() + " " + e.getLoggerName() + " - " + e.getFormattedMessage());
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                b.append("\n").append(t.getClassName()).append(": ").append(t.getMessage());
                for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) b.append("\n\t").append(s.getSTEAsString());
            }
            out.add(b.toString());
        }
        return out;
    }

    /** Fails naming the line when any captured line contains any of {@code secrets}. */
    public void assertNoneContains(Iterable<String> secrets) {
        List<String> lines = lines();
        for (String s : secrets) {
            if (s == null || s.isEmpty()) continue;
            for (String line : lines) {
                if (line.contains(s)) throw new AssertionError("a secret reached the log (" + s.length() + " chars): " + line.replace(s, "<SECRET>"));
            }
        }
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
        synchronized (LogCapture.class) {
            if (--open == 0) {
                for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) it.next().clearAllFilters();
                ours.setLevel(oursLevel);
            }
        }
    }
}
