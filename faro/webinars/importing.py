"""Moved: the attendance import is a webinars service, `faro.webinars.services.attendance`.

This module name stays so that older imports (`from faro.webinars import importing`,
`from faro.webinars.importing import import_attendance`) keep working: it *is* that module.
"""

import sys

from faro.webinars.services import attendance

sys.modules[__name__] = attendance
