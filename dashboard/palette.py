"""One colour per event type, shared by the map, its legend and the timeline."""

from __future__ import annotations

from collections.abc import Iterable

# The ACLED event types get fixed colours, so a type keeps its colour whatever else is in
# the data; other types take the spare colours in order. (Tableau 10, colour-blind aware.)
ACLED_COLOURS = {
    "Protests": "#4e79a7",
    "Riots": "#f28e2b",
    "Battles": "#e15759",
    "Violence against civilians": "#b07aa1",
    "Explosions/Remote violence": "#9c755f",
    "Strategic developments": "#59a14f",
}
SPARE_COLOURS = ("#76b7b2", "#edc948", "#ff9da7", "#bab0ac", "#17becf", "#7f7f7f")


def type_colours(event_types: Iterable[str]) -> dict[str, str]:
    """A colour for each event type, in the order given."""
    colours: dict[str, str] = {}
    spare = 0
    for event_type in event_types:
        if event_type in colours:
            continue
        if event_type in ACLED_COLOURS:
            colours[event_type] = ACLED_COLOURS[event_type]
        else:
            colours[event_type] = SPARE_COLOURS[spare % len(SPARE_COLOURS)]
            spare += 1
    return colours
