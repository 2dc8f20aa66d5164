"""Plain-Python presentation state of each screen (no Qt): rows, labels, series, selection."""
