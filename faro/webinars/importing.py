"""Moved: the attendance import is a webinars service, `faro.webinars.services.attendance`.

This module name stays so that older imports (`from faro.webinars import importing`,
`from faro.webinars.importing import import_attendance`) keep working: it *is* that module.
"""

import sys
from typing import TYPE_CHECKING

from faro.webinars.services import attendance

if TYPE_CHECKING:  # let type checkers see the names the alias below provides at run time
    from faro.webinars.services.attendance import *  # noqa: F403

sys.modules[__name__] = attendance
