"""Give an incident an ACLED event type and sub-event type from its sentence.

Rules are trigger phrases; the trigger nearest the place mention wins, and a trigger that is
only threatened, demanded or hypothetical ("threatened to send troops", "urged ... dismantling
roadblocks", "would allow Serbia to send troops") does not count. A sentence with no counted
trigger reports no incident.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

EVENT_TYPES = (
    "Battles", "Explosions/Remote violence", "Violence against civilians", "Riots", "Protests",
    "Strategic developments",
)

# (pattern, event type, sub-event type); order only breaks ties at equal distance.
_RULES: list[tuple[str, str, str]] = [
    (r"drone\s+strikes?|air\s*strikes?", "Explosions/Remote violence", "Air/drone strike"),
    (r"shell(?:ing|ed)|artillery|rocket\s+attacks?|mortars?", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    (r"(?:hand\s+)?grenades?|stun\s+grenades?", "Explosions/Remote violence", "Grenade"),
    (r"explosions?|explosive(?:\s+devices?)?|bomb(?:s|ing|ed)?|blasts?|landmines?|IEDs?", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    (r"exchanges?\s+of\s+(?:gun)?fire|exchanged\s+(?:gun)?fire|fire\s*fights?|gun\s*fights?|gun\s+battles?|shoot-?outs?|armed\s+clash(?:es)?|came\s+under\s+fire|opened\s+fire|fired\s+on|gunmen|armed\s+(?:men|group|attackers)|attack(?:ed|s)?\s+(?:the\s+)?(?:police|officers|patrol|KFOR|soldiers)|ambush(?:ed)?|killed|wounded|injured|shots\s+(?:were\s+)?fired|fired\s+shots|gunfire|shooting", "Battles", "Armed clash"),
    (r"abduct(?:ed|ion|s)?|kidnapp(?:ed|ing)", "Violence against civilians", "Abduction/forced disappearance"),
    (r"attack(?:ed|s)?\s+(?:on\s+)?(?:civilians|journalists|reporters|election\s+workers|residents|villagers)|assaulted|beat(?:en)?\s+up", "Violence against civilians", "Attack"),
    (r"riot(?:s|ers|ing)?|violent\s+(?:protests?|demonstrations?)|clash(?:es|ed)?|threw\s+(?:stones|rocks|molotov|petrol\s+bombs|bottles)|stone-?throwing|molotov", "Riots", "Violent demonstration"),
    (r"torched|set\s+(?:on\s+)?fire|set\s+ablaze|burn(?:ed|t)\s+(?:down\s+)?|mob|lynch", "Riots", "Mob violence"),
    (r"tear\s*gas|pepper\s+spray|water\s+cannons?|dispers(?:e|ed|ing)\s+(?:the\s+)?(?:protesters|demonstrators|crowd)", "Protests", "Protest with intervention"),
    (r"protest(?:s|ed|ers?|ing)?|demonstrat(?:ion|ions|ors?|ed|ing)|rall(?:y|ies|ied)|marche[sd]|sit-?ins?|blockad(?:e|es|ed|ing)|block(?:ed|ing)\s+(?:\w+\s+)?(?:traffic|roads?|highways?|crossings?|access|the\s+road)|barricades?|barricaded|roadblocks?|road\s+blocks?|road\s+blockades?|camped|picket(?:s|ed)?", "Protests", "Peaceful protest"),
    (r"arrest(?:ed|s)?|detain(?:ed|s)?|apprehended|taken\s+into\s+custody", "Strategic developments", "Arrests"),
    (r"loot(?:ed|ing)|vandali[sz]ed|ransacked|demolished", "Strategic developments", "Looting/property destruction"),
    (r"(?:armou?red|military)\s+(?:vehicles|cars|convoys?|units)|tanks|convoys?|troops|soldiers|deploy(?:ed|s|ment|ments|ing)?|station(?:ed|ing)|reinforc(?:ed|ement|ements|ing)|patrols?|patroll(?:ed|ing)|(?:high|higher|highest|heightened|combat)\s+alert|took\s+up\s+positions|(?:sent|dispatched)\s+(?:\w+\s+){0,3}(?:police|troops|forces|officers|units)|movement\s+of\s+troops|special\s+(?:police\s+)?(?:units|forces)", "Strategic developments", "Change to group/activity"),
    (r"closed|shut(?:\s+down)?|closure|sealed(?:\s+off)?|reopened", "Strategic developments", "Other"),
]
_TRIGGERS = [(re.compile(rf"\b(?:{p})\b", re.IGNORECASE), t, s) for p, t, s in _RULES]
_NOT_REAL = re.compile(
    r"\b(?:threaten(?:s|ed|ing)?\s+to|would|could|might|may|plan(?:s|ned)?\s+to|allow(?:s|ed)?|"
    r"urg(?:e|es|ed|ing)|encourag(?:e|es|ed)|call(?:s|ed)?\s+(?:on|for)|demand(?:s|ed)?|"
    r"must|should|ready\s+to|willing\s+to|intend(?:s|ed)?\s+to|instruct(?:ing|ed|s)?|"
    r"warn(?:s|ed)?\s+(?:of|that)|fear(?:s|ed)?|if|unless|avoid|prevent(?:ed)?|without|de-escalate)\b[^.;:]*$",
    re.IGNORECASE,
)
_CLAUSE_BACK = 70


@dataclass(frozen=True, slots=True)
class EventType:
    event_type: str
    sub_event_type: str
    trigger: str
    start: int


def triggers(text: str, start: int, end: int) -> list[EventType]:
    """Every counted trigger in ``text[start:end]`` (offsets into ``text``)."""
    found = []
    for order, (pattern, etype, sub) in enumerate(_TRIGGERS):
        for m in pattern.finditer(text, start, end):
            if _NOT_REAL.search(text[max(start, m.start() - _CLAUSE_BACK) : m.start()]):
                continue
            found.append((order, EventType(etype, sub, m.group(0), m.start())))
    # One span may match several rules ("armed clash" and "clash"): keep the first rule's reading.
    found.sort(key=lambda f: (f[1].start, f[0]))
    out: list[EventType] = []
    taken_until = -1
    for _, ev in found:
        if ev.start >= taken_until:
            out.append(ev)
            taken_until = ev.start + len(ev.trigger)
    return out


def classify(text: str, sentence_start: int, sentence_end: int, mention_start: int, mention_end: int) -> EventType | None:
    """The ACLED type of what happened at the mention, or None when the sentence reports nothing."""
    found = [
        t for t in triggers(text, sentence_start, sentence_end)
        if not (mention_start <= t.start < mention_end)
    ]
    if not found:
        return None

    def distance(t: EventType) -> int:
        t_end = t.start + len(t.trigger)
        return mention_start - t_end if t_end <= mention_start else t.start - mention_end

    return min(found, key=lambda t: (distance(t), t.start))
