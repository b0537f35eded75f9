"""`python -m compiler` runs the drillbook command line."""

from compiler.cli import main

main()
