"""``python -m loadwatch``: the same command line as the ``loadwatch`` executable."""

from loadwatch.entry import main

if __name__ == "__main__":
    main()
