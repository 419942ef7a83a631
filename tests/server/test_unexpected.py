"""An unexpected failure is logged and answered as JSON, never as a traceback."""
from sqlalchemy.exc import OperationalError

from qairon import create_app


def make_app():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": False})

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    @app.get("/db-down")
    def db_down():
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    return app


def test_unexpected_error_is_json_500_without_traceback(caplog):
    response = make_app().test_client().get("/boom")
    assert response.status_code == 500 and response.is_json
    body = response.get_json()
    assert body["status"] == 500 and "secret" not in body["detail"]
    assert "Traceback" not in response.get_data(as_text=True)
    assert "unexpected error" in caplog.text


def test_database_outage_is_503_try_again():
    response = make_app().test_client().get("/db-down")
    assert response.status_code == 503 and "try again" in response.get_json()["detail"]


def test_wrong_method_is_json_405():
    response = make_app().test_client().put("/up")
    assert response.status_code == 405 and response.get_json()["status"] == 405
