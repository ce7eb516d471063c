"""`python -m briefgen`: the same command line as `briefgen`."""

from briefgen.cli import main

if __name__ == "__main__":
    main()
