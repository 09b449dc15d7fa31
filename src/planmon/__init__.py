"""planmon — 规划实施监测评估系统: monitoring and evaluation of a plan's implementation.

The library is the product; the CLI (:mod:`planmon.cli`) and the web app are thin
layers over it. Start with :func:`load_framework`.
"""

from planmon.framework import Framework, FrameworkInvalid, load_framework

__version__ = "0.1.0"
__all__ = ["Framework", "FrameworkInvalid", "__version__", "load_framework"]
