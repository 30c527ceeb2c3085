"""Inert stand-ins for modules a notebook imports for what is not graded.

Inside a run, ``matplotlib``, ``IPython``, ``tqdm`` and the visible ``checks`` import as
modules whose every attribute and call does nothing, so a set-up cell's imports and a plot
left in an answer cell cost nothing, while the real packages stay unreadable.  Loaded by
path into the zygote.
"""
import sys
import types

class _Inert:
    """Stands in for anything of a module the grader does not provide: plots and the
    visible checks are not graded, so ``plt.plot(...)`` or ``check(...)`` does nothing.
    Calling, indexing or reading an attribute gives another inert object; iterating
    gives two, so ``fig, ax = plt.subplots()`` works."""

    def __call__(self, *args, **kwargs):
        return self

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self

    def __getitem__(self, key):
        return self

    def __iter__(self):
        return iter((self, self))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class _InertModule(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return _Inert()


def install(names):
    """Register inert stand-ins (e.g. matplotlib.pyplot, checks) so a notebook's
    set-up cell imports them without the real packages being readable here."""
    for name in names:
        module = _InertModule(name)
        module.__path__ = []  # a package, so submodules can be imported from it
        sys.modules[name] = module
        parent, _, child = name.rpartition(".")
        if parent in sys.modules:
            setattr(sys.modules[parent], child, module)


