#!/usr/bin/env python
from krai.cli import main

if __name__ == "__main__":
    main()
