"""`python -m needlematch`: the same as the `needlematch` command."""

from needlematch.cli import main

main()
