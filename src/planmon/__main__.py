"""``python -m planmon`` — the same as the ``planmon`` command."""

from planmon.cli import main

main()
