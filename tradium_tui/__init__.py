"""tradium-tui: keyboard-driven customer management for the terminal."""

__version__ = "0.1.0"
