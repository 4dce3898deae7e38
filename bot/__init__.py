"""The Rasa project, plus the few Rasa extensions it loads by module path."""
