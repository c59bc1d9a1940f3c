import sys

from charte_ia.cli import main

sys.exit(main())
