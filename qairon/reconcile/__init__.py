"""Reconciliation: actual state against Qairon's intent, with jq patterns (docs/GENERATE.md)."""
