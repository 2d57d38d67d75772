package dev.switchyard.provider;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/** One HTTP request to an upstream, fully encoded and signed. */
public record UpstreamRequest(String absoluteUrl, MultiMap headers, Buffer body, boolean stream) {}
