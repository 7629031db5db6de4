"""needlematch: a running-injury symptom checker that ranks likely injuries and escalates warning signs.

The Python API does what `needlematch match --json` does:

    import needlematch

    result = needlematch.assess("sharp pain on the outside of my knee, worse downhill")
    result.matches[0].name        # the injury that fits best
    result.triage.level           # "routine", "soon", "urgent" or "emergency"

`assess` takes a description, a dict of Symptoms fields or a Symptoms;
`understand` reads a description into Symptoms; `load_catalogue` reads (and
validates) a catalogue to pass to `assess`. Bad input raises NeedlematchError,
whose text is the command line's message. Importing this package loads nothing
else: each name loads its module when first used, and neither rich nor
questionary is ever loaded by the API.
"""

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Assessment",
    "CatalogueError",
    "NeedlematchError",
    "Symptoms",
    "SymptomsError",
    "__version__",
    "assess",
    "load_catalogue",
    "understand",
]

if TYPE_CHECKING:
    from needlematch.api import assess, understand
    from needlematch.assessment import Assessment
    from needlematch.catalogue import CatalogueError, load_catalogue
    from needlematch.errors import NeedlematchError, SymptomsError
    from needlematch.symptoms import Symptoms

_WHERE = {
    "assess": "needlematch.api",
    "understand": "needlematch.api",
    "Assessment": "needlematch.assessment",
    "CatalogueError": "needlematch.catalogue",
    "load_catalogue": "needlematch.catalogue",
    "NeedlematchError": "needlematch.errors",
    "SymptomsError": "needlematch.errors",
    "Symptoms": "needlematch.symptoms",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'needlematch' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # found once
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
