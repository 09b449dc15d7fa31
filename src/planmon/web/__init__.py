"""The web app: dashboard, submission and review, REST API (``planmon serve``).

``create_app(store)`` in :mod:`planmon.web.app` builds it; everything it serves ships
with the package, so it runs on an offline network.
"""
