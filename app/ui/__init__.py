"""The Qt face of the app (PySide6): thin widgets over services and presentation objects."""
