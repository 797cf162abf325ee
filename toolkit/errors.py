"""The toolkit's small family of exceptions.

Problems *inside documents* are results (rows with ``status="error"`` or rows of an
``issues`` frame), never exceptions. Exceptions are for programming mistakes, such as a
wrong argument, and name the argument, the allowed values and what was given.
"""


class ToolkitError(Exception):
    """Base class of every error the toolkit raises on purpose."""


class CorpusError(ToolkitError):
    """A corpus path or manifest cannot be used at all (not: one bad file)."""


class TemplateError(ToolkitError):
    """A template version or table key that does not exist."""


class ArgumentError(ToolkitError, ValueError):
    """An argument outside its allowed values."""


def check_choice(name: str, value, allowed) -> None:
    """Raise :class:`ArgumentError` unless ``value`` is one of ``allowed``."""
    if value not in allowed:
        raise ArgumentError(f"{name}={value!r} is not allowed; use one of {sorted(map(repr, allowed))}")
