"""drillbook: compile, lint, render and simulate workflow markdown.

Immutable records the parser and the checks make (a found name, a token, a resolution) are
`typing.NamedTuple`s, not frozen dataclasses: Python 3.11 defines a frozen dataclass by
compiling six generated methods (~0.6 ms a class, against ~0.08 ms for a NamedTuple), and a
fresh `drillbook lint` defines each class it imports (issue 10, cold start). Records that
cache values on the instance (`computed_once`), need `dataclasses.replace` or identity
equality stay dataclasses.
"""

__version__ = "0.1.0"
