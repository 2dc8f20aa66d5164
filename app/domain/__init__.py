"""Pure money logic: no Qt, no SQL, no pandas, no file I/O (see ARCHITECTURE.md)."""
