"""The check families: one module per family, each emitting changes through the Context."""
