"""``python -m zpgen``."""

from zpgen.cli.app import main

main()
