"""factory-boy factories, one module per area, all importable from here.

    from tests import factories
    factories.ClaimFactory(person=factories.PersonFactory())
"""

# Each area adds `from tests.factories.<area> import *` below.
from tests.factories.classes import *  # noqa: F403
from tests.factories.content import *  # noqa: F403
from tests.factories.content import PASSWORD, days_from_now  # noqa: F401
from tests.factories.quiz import *  # noqa: F403
from tests.factories.review import *  # noqa: F403
