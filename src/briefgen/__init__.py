"""briefgen: one sourced brief in, a balanced email, captions and citations out.

    import briefgen
    brief = briefgen.load("seeds/baby-botox")     # folder, brief.yaml or slug
    rendered = briefgen.render(brief)              # in memory: rendered.files
    findings = briefgen.check(rendered)            # the guard's findings, [] when it passes
    briefgen.write(rendered, "outputs")            # atomically into outputs/<slug>/

Names are imported on first use, so `import briefgen` (and `briefgen --version`) stays cheap.
"""

from __future__ import annotations

from importlib import import_module

__version__ = "0.1.0"

#: Public name → the module that defines it.
_EXPORTS = {
    "load": "briefgen.api",
    "render": "briefgen.api",
    "check": "briefgen.api",
    "write": "briefgen.api",
    "Checker": "briefgen.api",
    "Renderer": "briefgen.rendering.renderer",
    "RenderedBrief": "briefgen.rendering.renderer",
    "Brief": "briefgen.brief.models",
    "LoadedBrief": "briefgen.brief.loader",
    "Finding": "briefgen.guard.checks",
    "Output": "briefgen.outputs",
    "OUTPUTS": "briefgen.outputs",
    "caption_output": "briefgen.outputs",
    "resolve_target": "briefgen.targets",
    "EmailHeaders": "briefgen.options",
    "GuardOptions": "briefgen.options",
    "RenderOptions": "briefgen.options",
    "SmtpOptions": "briefgen.options",
    "BriefgenError": "briefgen.errors",
    "LocatedError": "briefgen.errors",
    "BriefError": "briefgen.errors",
    "TemplateError": "briefgen.errors",
    "ConfigError": "briefgen.errors",
    "UsageError": "briefgen.errors",
    "OutputError": "briefgen.errors",
    "SendError": "briefgen.errors",
    "GuardError": "briefgen.errors",
}

__all__ = [
    "OUTPUTS",
    "Brief",
    "BriefError",
    "BriefgenError",
    "Checker",
    "ConfigError",
    "EmailHeaders",
    "Finding",
    "GuardError",
    "GuardOptions",
    "LoadedBrief",
    "LocatedError",
    "Output",
    "OutputError",
    "RenderOptions",
    "RenderedBrief",
    "Renderer",
    "SendError",
    "SmtpOptions",
    "TemplateError",
    "UsageError",
    "__version__",
    "caption_output",
    "check",
    "load",
    "render",
    "resolve_target",
    "write",
]

#: Without importing `typing` (10 ms of a cold `briefgen --version`); type checkers read the
#: imports below as if it were True.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from briefgen.api import Checker, check, load, render, write
    from briefgen.brief.loader import LoadedBrief
    from briefgen.brief.models import Brief
    from briefgen.errors import (
        BriefError,
        BriefgenError,
        ConfigError,
        GuardError,
        LocatedError,
        OutputError,
        SendError,
        TemplateError,
        UsageError,
    )
    from briefgen.guard.checks import Finding
    from briefgen.options import EmailHeaders, GuardOptions, RenderOptions, SmtpOptions
    from briefgen.outputs import OUTPUTS, Output, caption_output
    from briefgen.rendering.renderer import RenderedBrief, Renderer
    from briefgen.targets import resolve_target


def __getattr__(name: str) -> object:
    """Import a public name from its module the first time it is used."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'briefgen' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
