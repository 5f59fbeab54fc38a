import sys

from dengar.cli import main

sys.exit(main())
