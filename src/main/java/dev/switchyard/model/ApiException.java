package dev.switchyard.model;

/** Carries an {@link ApiError} to the front. No stack trace: it is control flow, not a bug. */
public final class ApiException extends RuntimeException {
    private final ApiError error;

    public ApiException(ApiError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public ApiError error() {
        return error;
    }
}
