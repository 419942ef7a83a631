"""Config generation: templates rendered with an object's context (docs/GENERATE.md)."""
