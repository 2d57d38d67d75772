package dev.switchyard.web;

import dev.switchyard.model.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/** Sends OpenAI-shaped errors; the only way an error leaves the front. */
final class Errors {
    private Errors() {}

    static void send(HttpServerResponse response, ApiError error) {
        if (response.ended() || response.closed()) return;
        response.setStatusCode(error.status());
        response.headers().set(HttpHeaders.CONTENT_TYPE, "application/json");
        response.end(Buffer.buffer(error.toJson()));
    }

    static ApiError unauthorized() {
        return new ApiError(401, "invalid_request_error", "invalid_api_key", null,
                "Incorrect or missing API key. Send it as 'Authorization: Bearer <key>' (or an 'api-key' header).");
    }

    static ApiError notFound(String path) {
        return new ApiError(404, "invalid_request_error", "unknown_url", null,
                "Unknown request URL: " + path + ". The OpenAI-compatible endpoints are under /v1 (e.g. POST /v1/chat/completions).");
    }

    static ApiError methodNotAllowed(String method, String path) {
        return new ApiError(405, "invalid_request_error", "method_not_allowed", null,
                "Method " + method + " is not allowed for " + path + ".");
    }

    static ApiError tooLarge(long max) {
        return new ApiError(413, "invalid_request_error", "request_too_large", null,
                "The request body is larger than this gateway accepts (" + max + " bytes, server.max_body_bytes).");
    }

    static ApiError internal(String requestId) {
        return new ApiError(500, "api_error", "internal_error", null,
                "The gateway failed to handle this request (request id " + requestId + "). It has been logged; try again.");
    }
}
