"""Server plugins: a throw-away plugin through every face, and the dependencies plugin."""
