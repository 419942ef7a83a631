"""The application object for ``flask`` (found here without ``--app``) and WSGI servers."""
from qairon import create_app

app = create_app()
