"""Operating Qairon: metrics, the request log, request IDs, replicas."""
