"""The Rasa SDK action server: one module per feature."""
