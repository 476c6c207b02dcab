"""Allow ``python -m chibo4tot``."""

from chibo4tot.cli import main

if __name__ == "__main__":
    main()
