"""``python -m zpgen``."""

from zpgen.cli import main

main()
