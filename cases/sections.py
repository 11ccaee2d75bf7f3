"""
The client page's parts that later steps of the service path add — the last health check and
what can be referred, the meetings still waiting for a feedback discussion … Each app registers
a function `(request, client) -> dict` of template context when it loads, and the client page
asks them all: it imports none of the apps above it.
"""

_SECTIONS = []


def section(build):
    """Register `build(request, client)`, the template context of one part of the page."""
    _SECTIONS.append(build)
    return build


def sections_for(request, client) -> dict:
    context = {}
    for build in _SECTIONS:
        context.update(build(request, client))
    return context
