"""kalint: a static analyzer for keepalived configuration."""

import os as _os

__version__ = "0.1.0"

# rules/ and grammar/ sit beside kalint/ in a checkout and are installed as kalint.rules and
# kalint.grammar. Run from a checkout (`python -m kalint` at its root, which imports this
# directory ahead of any installed copy), the subpackages are found beside it.
_here = _os.path.dirname(__file__)
if not _os.path.isdir(_os.path.join(_here, "rules")) and \
        _os.path.isfile(_os.path.join(_os.path.dirname(_here), "rules", "__init__.py")):
    __path__.append(_os.path.dirname(_here))
