"""The web app: dashboard, submission and review, REST API (``planmon serve``).

``create_app(store)`` in :mod:`planmon.web.app` builds it; everything it serves ships
with the package, so it runs on an offline network.
"""


def serve(db_url: str | None = None, host: str = "127.0.0.1", port: int = 8000, secure_cookies: bool = False) -> None:
    """Run the web app with uvicorn on ``host:port`` against the database at ``db_url``."""
    import uvicorn

    from planmon.store import Store
    from planmon.web.app import create_app

    store = Store.open(db_url)
    store.init()
    uvicorn.run(create_app(store, secure_cookies=secure_cookies or None), host=host, port=port, log_level="info",
                proxy_headers=secure_cookies)
