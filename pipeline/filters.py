"""Drop mentions that are not places where something happened.

Each rule returns a reason (shown in ``report.json``) or None. Pure functions over the article
text, the mention's sentence and the place.
"""

from __future__ import annotations

import re

from pipeline.caseless import Prefiltered, lower_text, twin
from pipeline.model import Mention, Place
from pipeline.sentences import Span

_GOVERNMENT_BEFORE = re.compile(
    r"\b(?:government|authorities|administration|leadership|officials|ministry|regime|embassy|"
    r"ambassador|envoy|negotiators|delegation|institutions|pressure\s+on|relations\s+with|"
    r"ties\s+with|talks\s+with|dialogue\s+with|agreement\s+with|deal\s+with|recognition\s+by)"
    r"\s+(?:in|to|of|from|with|on|by)?\s*(?:the\s+capital\s+(?:city\s+of\s+)?)?$",
    re.IGNORECASE,
)
_GOVERNMENT_OBJECT = re.compile(
    r"\b(?:urge|urges|urged|accuse|accuses|accused|blame|blames|blamed|warn|warns|warned|"
    r"call\s+on|calls\s+on|called\s+on|asked|asks|pressed|presses|told|criticised|criticized|"
    r"condemned|support|supports|supported|recognize|recognise|recognizes|recognises|between|"
    r"both)\s+$",
    re.IGNORECASE,
)
_GOVERNMENT_AFTER = re.compile(
    r"^(?:'s|’s|'|’)|^,?\s+(?:has|have|had|is|was|are|were|does|did|do|will|would|says|said|say|"
    r"calls|called|accused|accuses|regards|regarded|wants|wanted|urged|urges|rejected|rejects|"
    r"denied|denies|insists|insisted|claims|claimed|recognizes|recognises|recognized|recognised|"
    r"operates|operated|decided|decides|announced|demanded|demands|responded|refused|refuses|"
    r"must|should|can|could|may|might|sees|saw|considers|considered|condemned|warned|hopes|"
    r"argues|argued|blamed|blames|continues|continued|remains|still|never|also|exercise|"
    r"administration|government|authorities|officials|leadership|regime|ministry|defen[cs]e|"
    r"according|and\s+(?:Belgrade|Pristina|Prishtina|Priština|Brussels|Washington|Moscow)\b)",
    re.IGNORECASE,
)
_PAIR = re.compile(r"\b(?:between|both)\s+\S+\s+and\s+$", re.IGNORECASE)
_VENUE_BEFORE = re.compile(
    r"\b(?:conference|reporters|statement|speech|summit|talks|meeting|meetings|interview|announced|"
    r"said|spoke|speaking|visit|visits|visited|met|UN|U\.N\.|United\s+Nations|headquarters|"
    r"diplomatic\s+actions[^.]*|negotiations|dialogue|ambassador|embassy|agreement|deal|accord|"
    r"(?:basic|higher|appeals?|supreme|special|district|municipal|constitutional)\s+court|"
    r"prosecutors?|prosecution|prosecutor['’]s\s+office|parliament|independence)"
    r"\s+(?:\w+\s+){0,3}?(?:in|to|at|from)\s+(?:both\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)
# Where people came from, not where it happened: "came to the protest from Zvečan, Leposavić
# and Zubin Potok", "protesters, many of them from nearby Leposavic".
_ORIGIN_BEFORE = re.compile(
    r"(?:\b(?:came(?!\s+under)|come|comes|coming|travel+ed|travel+ing|arrived|arriving|bus+ed|"
    r"poured\s+in|flocked|march(?:ed|ing)|walk(?:ed|ing)|head(?:ed|ing)|drove|driving)\b[^.;:]{0,90}?"
    r"|\b(?:many|most|some|all|several|hundreds|thousands|dozens)\s+of\s+them\s+(?:\w+\s+)?"
    r"|\b(?:many|most|some|hundreds|thousands|dozens)\s+(?:had\s+)?(?:come\s+)?"
    r"|\b(?:both|each|all(?:\s+(?:two|three|four|five))?)\s+(?:of\s+them\s+)?"  # "the two defendants, both from Zvečan"
    r"|\b(?:\d+-year-old|man|woman|men|women|boy|girl|youths?|residents?|citizens?|natives?|nationals?|"
    r"serbs?|albanians?|bosniaks?|drivers?|students?|families|family|pensioners?|retirees?|teachers?|"
    r"farmers?|workers?|doctors?|priests?|shopkeepers?|people|defendants?|suspects?|accused|patients?|passengers?)\s+"
    r"|\(\d{1,3}\),?\s+|\b\w\.\s?\w\.,?\s+)"  # "D.M. (52), from Leposavic", "M.R. from Zvecan"
    r"\bfrom\s+(?:[^.;:]{0,60}?(?:,|\band\b|\bsuch\s+as\b|\bincluding\b|\blike\b)\s+)?"
    r"(?:the\s+)?(?:nearby\s+|neighbou?ring\s+)?(?:(?:town|village|city|municipality)\s+of\s+)?$"
    r"|\ba\s+(?:resident|native|citizen|pensioner|teacher)\s+of\s+(?:the\s+)?(?:(?:town|village|city)\s+of\s+)?$",
    re.IGNORECASE,
)
# Where someone is based, not where anything happened: "is based at the EULEX compound in
# Pristina", "long-term teams based in Pristina, Mitrovica, Pejë/Peć, Prizren ...".
_BASE_BEFORE = re.compile(
    r"\b(?:based|headquartered)\s+(?:[\w-]+\s+){0,4}?(?:in|at)\s+(?:[^.;:]{0,100}?(?:,|/|\band\b)\s*)?(?:the\s+)?$",
    re.IGNORECASE,
)
_ORIGIN_CONTEXT = 160  # how far back the origin and offence rules look (their phrases run long)
_AND_ONE = r"(?:[^\s,.;:]+\s+and\s+)?"  # the first of two names: "... of Raska and Prizren"
# A title or a church's see, not a place where anything happened: "the Diocese of Raska and
# Prizren", "Bishop of Raška and Prizren Teodosije".
_SEE_BEFORE = re.compile(
    r"\b(?:diocese|eparchy|bishop|archbishop|metropolitan(?:ate)?|metropolis|patriarch(?:ate)?)\s+of\s+"
    + _AND_ONE + r"$",
    re.IGNORECASE,
)
# Where someone hurt or held was taken, or is held: "a third man, wounded in the leg, was taken
# under guard to the hospital in the northern part of Mitrovica", "he is still in detention in
# Pristina" (not "detained in Zvečan", an arrest there).
_TAKEN_BEFORE = re.compile(
    r"(?:\b(?:taken|taking|transferred|transported|rushed|brought|admitted|treated)\s+(?:\w+\s+){0,4}?"
    r"(?:to|in|at)\s+(?:the\s+|a\s+)?(?:\w+\s+)?(?:hospital|clinic|health\s+cent(?:re|er))"
    r"|\bin\s+(?:pre-?trial\s+)?(?:detention|custody)"
    r"|\b(?:taken|transferred|brought|held|kept|remanded)\s+(?:\w+\s+){0,3}?(?:to|in|at)\s+the\s+(?:\w+\s+)?"
    r"(?:detention\s+(?:unit|cent(?:re|er)|facility)|prison|jail|police\s+station))\s+(?:in|at)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# Where a column was going, not where it was: "a column of APCs driving south through the
# centre of Raska, direction Jarinje".
_DESTINATION_BEFORE = re.compile(
    r"\b(?:direction|in\s+the\s+direction\s+of|bound\s+for|en\s+route\s+to|on\s+(?:its|their|the|his|her)\s+way\s+to"
    r"|(?:tried|trying|wanted|planned|hoped|intended|set\s+out)\s+to\s+(?:travel|go|drive|return|cross|get)\s+(?:in)?to"
    r"|(?:drove|driven|went|flew|travell?ed|headed|walked)\s+back\s+to"
    r"|were\s+(?:driven|flown|bussed)\s+(?:[\w-]+\s+){0,3}?to)\s+(?:the\s+)?(?:camp\s+|base\s+)?$",
    re.IGNORECASE,
)
# Where someone was heading, when the sentence names another place, where it happened: "A
# police jeep came down from the crossing towards Lešak, and a group of boys threw stones at it
# near the Beluće turn-off."
_HEADING_BEFORE = re.compile(
    r"\b(?:came|coming|drove|driving|went|going|headed|heading|travell?ed|travell?ing|moved|moving)\s+"
    r"(?:[\w-]+\s+){0,4}?towards\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# Where the offence an arrest or a charge is about took place, not where the arrest did: "arrested
# in Leposavić a young man on suspicion of having taken part in the incidents in Zvečan".
_OFFENCE_BEFORE = re.compile(
    r"\b(?:on\s+suspicion\s+of|suspected\s+of|accused\s+of|charged\s+with|convicted\s+of|indicted\s+for|"
    r"in\s+connection\s+with)\b[^.;:]{0,80}?\b(?:in|at|near)\s+(?:the\s+)?(?:(?:village|town|city)\s+of\s+)?$",
    re.IGNORECASE,
)
# what may stand before a dateline or a label: an item's mark, or a transcript's timestamp
# ("[00:03:41] GËRVALLA: For the people at the barricade ...")
_LIST_MARK = re.compile(r"(?:\d{1,3}[.)]|[-*•]|[\[(]?\d{1,2}(?::\d{2}){1,2}[\])]?)?")
_DATELINE_AFTER = re.compile(r"^(?:,\s*[A-Z][\w .]*?)?\s*(?:\([A-Za-z .]+\))?\s*[–—-]\s", re.UNICODE)
_TITLE_BEFORE = re.compile(
    r"(?:President|Minister|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|General|Gen\.|Commander|spokesperson|"
    r"spokesman|spokeswoman|mayor|Mayor|ambassador|Ambassador)\s+(?:[A-Z]\w+\s+)?$"
)
# (not a place's adjective: "Ibarska Slatina", "Kosovska ...")
_GIVEN_NAME_BEFORE = re.compile(r"(?<![.!?]\s)\b[A-Z][a-zšđčćžë]+(?<!sk[aoi])\s+$")
_NEAR_BEFORE = re.compile(
    r"\b(?:(?:\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|a\s+few|several|"
    r"some)\s*(?:km|kilometers|kilometres|miles|meters|metres|m)\b\s*(?:\([^)]*\)\s*)?"
    r"(?:from|of|outside|north\s+of|south\s+of|east\s+of|west\s+of|away\s+from)"
    r"|near|nearby|outside|close\s+to|around|on\s+the\s+outskirts\s+of|the\s+outskirts\s+of|"
    r"in\s+the\s+area\s+of|in\s+the\s+vicinity\s+of|north\s+of|south\s+of|east\s+of|west\s+of|"
    r"on\s+the\s+road\s+to|on\s+the\s+road\s+from|the\s+road\s+between|approach(?:es)?\s+to)"
    r"\s+(?:the\s+)?(?:village\s+of\s+|town\s+of\s+)?$",
    re.IGNORECASE,
)
# What joins a place to the one named just before it when it only locates that one: "the
# village of Rudare near Zvečan", "Brnjak, close to Zubin Potok", "Varage, near the lake in
# Zubin Potok", "Jarinje, 10 km north of Leposavić", "in North Mitrovica, in Kralja Petra I
# Street, some two hundred metres from the main bridge".
_NUMBER = (
    r"(?:\d+(?:[.,]\d+)?|a\s+few|several|a\s+couple\s+of|(?:a|one|two|three|four|five|six|seven|eight|nine)"
    r"\s+hundred|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|thirty|forty|fifty)"
)
_LOCATOR_BETWEEN = re.compile(
    r",?\s+(?:(?:a|an|the)\s+(?:\w+\s+){0,2}?(?:village|town|hamlet|settlement|suburb|neighbou?rhood)\s+)?"
    r"(?:(?:in|on)\s+(?:[\w.-]+\s+){1,4}?(?:street|avenue|boulevard|square),?\s+)?"
    r"(?:just\s+|right\s+)?(?:near|close\s+to|not\s+far\s+from|outside|"
    r"(?:north|south|east|west)\s+of|(?:(?:about|some|around|roughly|only|just)\s+)?" + _NUMBER +
    r"(?:\s*|-)(?:km|kilometres|kilometers|miles|m|metres|meters|yards)\s+"
    r"(?:\([^)]*\)\s+)?(?:away\s+)?(?:from|(?:north|south|east|west|northwest|northeast|southwest|southeast)\s+of))"
    r"\s+(?:the\s+)?(?:(?:\w+\s+){1,3}?(?:in|of|at)\s+)?(?:the\s+)?(?:(?:town|village|city|municipality)\s+of\s+)?",
    re.IGNORECASE,
)
# A town right after a place, with only "in" between ("near the main bridge on the Ibar in Severna
# Mitrovica"); not a list ("in Zvečan, in Leposavić"), and not a region (see REGION_BESIDE).
# ... or "in" it, or its municipality in brackets: "the village of Graničane (Leposavić)"
_IN_BETWEEN = re.compile(r"\s+in\s+(?:the\s+)?(?:(?:town|village|city|municipality)\s+of\s+)?|\s*\(\s*", re.IGNORECASE)
# ... or, wider, in the next cell of a table: "| Lokva | Zvečan | 12 Dec | active |"
_CELL_BETWEEN = re.compile(r"[ \t]*\|[ \t]*")
# The end of a road that locates the place named before it in the sentence ("the village of
# Banjska, just off the main road from Zvečan to Leposavić", "Rudare ... on the main road north
# to Leposavić"): the road is named for where it runs, not where anything happened. (Alone,
# "Serbs blocked the road to Jarinje", the road's end is the place: there is no place before.)
# (the words before "road" describe it: "the main road", not "blocked the road to Brnjak")
_ROAD_BETWEEN = re.compile(
    r",?\s+(?:(?:a|an|the)\s+(?:\w+\s+){0,2}?(?:village|town|hamlet|settlement)\s+)?(?:just\s+|right\s+)?"
    r"(?:(?:off|on|along|by|near|beside)\s+)?(?:the\s+)?(?:(?![\w-]*(?:ed|ing)\s)[\w-]+\s+){0,2}?roads?\s+"
    r"(?:(?:north|south|east|west)(?:wards?)?\s+)?(?:to|towards|leading\s+to|from|between)\s+(?:the\s+)?"
    r"|\s+(?:to|and|towards)\s+(?:the\s+)?",
    re.IGNORECASE,
)
_ROAD_END_BEFORE = re.compile(
    r"\broads?\s+(?:(?:north|south|east|west)(?:wards?)?\s+)?(?:(?:to|towards|leading\s+to)\s+"
    r"|(?:from|between)\s+(?:(?:the\s+)?[^\s,.;:]+(?:\s+[^\s,.;:]+)?\s+(?:to|and|towards)\s+)?)(?:the\s+)?$",
    re.IGNORECASE,
)
# A road described by where it runs, after a place it passes: "blocked the main road through
# Zvecan, which links Mitrovica with the Jarinje crossing and the Serbian town of Raska". The
# places in the relative clause are the road's ends; the clause stops at a new clause (", and",
# ", where", ...) or at the sentence's end.
_ROAD_CLAUSE_BEFORE = re.compile(
    r"\b(?:roads?|highways?|routes?)\b[^.;:!?]{0,60}?,?\s+(?:which|that)\s+"
    r"(?:links|linked|connects|connected|joins|leads\s+to|led\s+to|runs|ran|goes|went)\s+"
    r"(?:(?!,\s+(?:and|but|while|where|as|after|before|when)\s)[^.;:!?])*$",
    re.IGNORECASE,
)
# A road named by its two ends, beside the place where something happened on it: "near the
# village of Pridvoricë, on the road Leposaviq - Zveçan".
_T_ROAD_NAMED_BEFORE = Prefiltered(re.compile(r"\broads?\s+(?:[^\s,.;:]+\s+){0,2}?[-–]\s+$"))
_T_ROAD_NAMED_FIRST = re.compile(r"\broads?\s+$")
_T_DASH_AFTER = re.compile(r"\s+[-–]\s")

_ROAD_CLAUSE_CONTEXT = 240  # how far back the road may be named: bounded, not the whole sentence at every mention
# How wide a place is, for the locator rule: it drops a place that locates a narrower one.
_BREADTH = {"border_crossing": 0, "city_part": 0, "village": 1, "mountain": 2, "town": 2, "capital": 2, "region": 3}
_ADMIN_BEFORE = re.compile(
    r"\b(?:municipality|municipalities|district|province|county|region)\s+of\s+(?:the\s+)?" + _AND_ONE + r"$",
    re.IGNORECASE,
)
_ADMIN_AFTER = re.compile(r"^(?:/[^\s/()]+(?:\s[^\s/()]+)?)?\s+(?:municipality|district)\b", re.IGNORECASE)
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|at|near|outside|into|across|through|around|of)\s+(?:the\s+)?(?:\w+\s+)?$", re.IGNORECASE
)
_GOVERNMENT_KINDS = ("capital",)
# Places that do not make a sentence's other places context ("others_in_sentence"): a country,
# a capital (most often its government), a region.
BROAD_KINDS = frozenset({"country", "capital", "region"})
_CONTEXT = 80
REGION_BESIDE = "region named beside a more specific place"
# Case-sensitive twins of the IGNORECASE rules, run on the lower-cased text (pipeline.caseless).
_T_GOVERNMENT_BEFORE = twin(_GOVERNMENT_BEFORE)
_T_GOVERNMENT_OBJECT = twin(_GOVERNMENT_OBJECT)
_T_GOVERNMENT_AFTER = twin(_GOVERNMENT_AFTER)
_T_PAIR = twin(_PAIR)
_T_VENUE_BEFORE = twin(_VENUE_BEFORE)
# These seldom match, and re tries a pattern anchored at the span's end at every position of
# it: a plain search for the words every match holds comes first (pipeline.caseless). Only
# where that pays: a rule whose words are short or many is searched as it is (its words'
# searches would cost more than the one search they spare).
_T_ORIGIN_BEFORE = Prefiltered(twin(_ORIGIN_BEFORE))
_T_OFFENCE_BEFORE = Prefiltered(twin(_OFFENCE_BEFORE))
_T_SEE_BEFORE = Prefiltered(twin(_SEE_BEFORE))
_T_TAKEN_BEFORE = Prefiltered(twin(_TAKEN_BEFORE))
_T_HEADING_BEFORE = Prefiltered(twin(_HEADING_BEFORE))
_T_BASE_BEFORE = Prefiltered(twin(_BASE_BEFORE))
_T_DESTINATION_BEFORE = twin(_DESTINATION_BEFORE)  # its words are short and many: no gain
# Where people live, beside the place where they did something (with the origin rule): "about
# 60 residents of Kruščica and Majdevo blocked the regional road ... near Majdevo", "forty
# residents of Zubin Potok blocked the road leading to the Bërnjak crossing" (alone in its
# sentence, the place is where it happened: "residents of Banjska blocked the road").
_T_RESIDENTS_OF_BEFORE = Prefiltered(re.compile(
    r"\b(?:residents|inhabitants|villagers|people|citizens)\s+of\s+(?:the\s+)?"
    r"(?:(?:village|villages|town|city|municipality)\s+of\s+)?(?:[^\s,.;:]+(?:\s+[^\s,.;:]+)?\s+and\s+)?$"))
# ... or "a Cerajë resident", "two Zvečan residents" (beside another place: "a car of a Cerajë
# resident stoned near Pridvoricë")
_T_RESIDENT_AFTER = re.compile(r"\s+(?:residents?|inhabitants?|villagers?|natives?|families|family)\b")
# Whom something was told to ("told Mitrovica Sot that the group ..."), where the news came
# from ("as soon as the news from Mitrovica arrived"): not where anything happened.
_T_TOLD_BEFORE = Prefiltered(re.compile(r"\b(?:told|the\s+news\s+from)\s+$"))
# A village's name that speaks is a surname: "Petković said that the arrests were ..."
_T_SPEAKS_AFTER = re.compile(r"\s+(?:said|says|told|added|stated|announced|warned|claimed|noted|explained|insisted|wrote)\b")
_T_NEAR_BEFORE = twin(_NEAR_BEFORE)
_T_ADMIN_BEFORE = Prefiltered(twin(_ADMIN_BEFORE))
_T_ROAD_END_BEFORE = Prefiltered(twin(_ROAD_END_BEFORE))
_T_ROAD_BETWEEN = twin(_ROAD_BETWEEN)
_T_ROAD_CLAUSE_BEFORE = Prefiltered(twin(_ROAD_CLAUSE_BEFORE))
# "In Washington, White House spokesman John Kirby said ...": a capital opening a sentence whose
# first clause is a statement is where it was said.
_T_STATEMENT_AFTER = twin(re.compile(
    r",\s+(?:[\w'’.-]+\s+){1,8}?(?:said|says|told|warned|announced|stated|declared|insisted|added)\b",
    re.IGNORECASE,
))
_T_LOCATOR_BETWEEN = twin(_LOCATOR_BETWEEN)
_T_IN_BETWEEN = twin(_IN_BETWEEN)
_T_ADMIN_AFTER = twin(_ADMIN_AFTER)
_T_LOCATIVE_BEFORE = twin(_LOCATIVE_BEFORE)


def _before(text: str, m: Mention, sentence: Span) -> str:
    return text[max(sentence.start, m.start - _CONTEXT) : m.start]


def _after(text: str, m: Mention, sentence: Span) -> str:
    return text[m.end : min(sentence.end, m.end + _CONTEXT)]


def in_quotation(text: str, m: Mention, sentence: Span) -> bool:
    """True when the mention sits between opening and closing quotation marks of its sentence."""
    before = text[sentence.start : m.start]
    curly = before.count("“") > before.count("”")
    straight = before.count('"') % 2 == 1
    return curly or straight


def country_reason(place: Place) -> str | None:
    """The first rule of ``drop_reason``: it holds whatever the mention's sentence says."""
    if place.kind == "country":
        return "country name (a country is never a point)"
    return None


def is_dateline(text: str, m: Mention, paragraph_start: int) -> bool:
    """The place that opens a paragraph as its dateline ("LEPOSAVIĆ, Kosovo – ..."), or an item
    of a numbered or bulleted list ("2. Zubin Potok - On 01.02.2024, ...", as police reports
    head their items)."""
    return _opens_paragraph(text, m, paragraph_start) and _DATELINE_AFTER.match(text[m.end : m.end + 60]) is not None


def _opens_paragraph(text: str, m: Mention, paragraph_start: int) -> bool:
    """Whether only blanks or an item's mark ("2.", "-") stand before the mention in its paragraph."""
    if m.start - paragraph_start > 6 and not (text[paragraph_start].isspace() or text[paragraph_start] == "["):
        return False  # (most mentions: no need to copy the text before them)
    return _LIST_MARK.fullmatch(text[paragraph_start : m.start].strip()) is not None


_LABEL_AFTER = re.compile(r"\s*(?:\([^)]*\)\s*)?:\s")


def is_label(text: str, m: Mention, paragraph_start: int) -> bool:
    """The place that opens a paragraph as a label before a colon: a speaker's name in an
    interview or a transcript ("Dobric: That we are not a barricade.", a surname that is also a
    village), an item's heading in a digest ("LEPOSAVIC: Police set up a checkpoint near Kajkovo")."""
    return _opens_paragraph(text, m, paragraph_start) and _LABEL_AFTER.match(text, m.end, m.end + 40) is not None


# A journalist's question in a transcript ("Q (Kallxo): There are reports that the police
# closed the Jarinje crossing ... Was KFOR informed?"), and a sentence that asks: neither reports.
_QUESTION_LABEL = re.compile(r"(?:q|question)\s*(?:\([^()\n]{1,80}\)\s*)?:\s", re.IGNORECASE)
_ASKS = re.compile(r"\?[\s\"'”’)\]]*$")
# What the writer says they could not verify ("What we could NOT verify: two viral videos
# claiming tanks near ... Merdare"), or calls a rumour ("He also repeats the rumour that
# Serbian special forces were hiding in the village of Jarinje"), tells what videos or posts
# say ("On TikTok there are videos saying there was shooting in Leposavic"), or a wiki marks as
# dubious ("A second barricade on the Dren bend.{{dubious|date=January 2023}}"): a claim, not a report.
_UNVERIFIED = Prefiltered(twin(re.compile(
    r"\b(?:could|can|did|have|has|had)\s*(?:not|n['’]t)\s+(?:be\s+)?(?:independently\s+)?"
    r"verif(?:y|ied)\b|\bunverified\b|\bunconfirmed\b|\brumou?rs?\s+that\b"
    r"|\b(?:videos?|clips?|posts?|tweets?|messages?)\s+(?:(?:posted|circulating|shared)\s+)?(?:on\s+\w+\s+)?"
    r"(?:saying|claiming|alleging)\b"
    r"|\{\{\s*dubious\b", re.IGNORECASE)))


def is_question(text: str, sentence: Span, paragraph_start: int) -> bool:
    """Whether the sentence asks, or lies in a paragraph a question label opens ("Q:",
    "Q (outlet):", "Question:")."""
    if text[paragraph_start] in "Qq" and _QUESTION_LABEL.match(text, paragraph_start) is not None:
        return True
    mark = text.rfind("?", sentence.start, sentence.end)  # (a plain search: this runs per mention)
    return mark >= 0 and _ASKS.match(text, mark, sentence.end) is not None


# An arrest for an ordinary crime is not a political event (ACLED codes neither): "arrested a
# 29-year-old man wanted on an international warrant for drug trafficking".
_ORDINARY_CRIME = Prefiltered(re.compile(
    r"\b(?:drugs?|narcotics?|marijuana|cannabis|heroin|cocaine|domestic\s+violence|theft|thefts|"
    r"burglar(?:y|ies)|robber(?:y|ies)|shoplifting|fraud|tax\s+evasion|drunk[- ]driving|"
    r"traffic\s+(?:accident|offen[cs]es?))\b"))


# A police action that the text says passed without incident ("In all other regions the police
# operation went smoothly"): a raid with no violence and no arrest is no event (the held-out
# guidelines); a protest that ended without incident still is one, and so is a crossing closed
# without incident. (A Serbian-run institution closed is none either way: closes_an_institution.)
_PASSED_QUIETLY = Prefiltered(twin(re.compile(
    r"\b(?:it|this|everything|all|the\s+(?:police\s+)?(?:action|actions|operation|operations|closures?|"
    r"closing|sealing|raids?|searches|search))\s+(?:[\w,]+\s+){0,4}?(?:passed|went|ended|proceeded|"
    r"(?:was|were)\s+carried\s+out)\s+(?:off\s+)?(?:without\s+(?:any\s+)?(?:incidents?|problems|resistance|"
    r"trouble)|smoothly|peacefully|quietly|calmly)\b", re.IGNORECASE)))


def may_pass_quietly(event_type: str, sub_event_type: str, trigger: str) -> bool:
    """Whether an event of this kind is no event when it passed without incident: a raid (the
    rule's trigger, not an arrest)."""
    return (event_type, sub_event_type) == ("Strategic developments", "Arrests") and trigger.lower().startswith("raid")


# What the police closed or sealed: a Serbian-run institution (the municipalities, post offices,
# bank branches), which the held-out guidelines do not code when nothing else happened there;
# not a crossing, a road or a bridge, whose closure they do. (Not a school or a hospital either:
# the guidelines say nothing of those.)
_INSTITUTION = re.compile(
    r"\b(?:municipal(?:ity|ities)?|premises|post\s+offices?|branch(?:es)?|post|postal|banks?|institutions?|"
    r"offices?|parallel)\b")
_PASSAGE = re.compile(r"\b(?:crossings?|border|roads?|bridges?|checkpoints?|gates?|line|airport|highway|lake|river)\b")


def closes_an_institution(low: str, sentence: Span, trigger: str) -> bool:
    """Whether a closure (its ``trigger``) in the sentence (of the lower-cased text) is of an
    institution the sentence names, and of no crossing, road or bridge."""
    return (trigger.lower().startswith(("clos", "seal", "shut"))
            and _INSTITUTION.search(low, sentence.start, sentence.end) is not None
            and _PASSAGE.search(low, sentence.start, sentence.end) is None)


def passed_quietly(low: str, start: int, end: int) -> re.Match[str] | None:
    """Where ``low[start:end]`` (lower-cased text) says that an action passed without incident."""
    return _PASSED_QUIETLY.search(low, start, end)


def ordinary_crime(low: str, sentence: Span) -> bool:
    """Whether the sentence (in the lower-cased text) names an ordinary crime as what an
    arrest is for."""
    return _ORDINARY_CRIME.search(low, sentence.start, sentence.end) is not None


# A wire story's correction notice restates what the story reports: "This story has been
# corrected to show that the rally in Mitrovica took place on Friday, not Saturday."
_CORRECTION = re.compile(
    r"(?:correction\s*:|(?:this|the)\s+(?:story|article|report|item)\s+(?:has\s+been|was|had\s+been)\s+"
    r"(?:corrected|updated\s+to\s+correct)|an\s+earlier\s+version\s+of\s+this\s+(?:story|article|report))")


def unverified(low: str, sentence: Span) -> bool:
    """Whether the sentence (in the lower-cased text) says what it reports could not be verified."""
    return _UNVERIFIED.search(low, sentence.start, sentence.end) is not None


def drop_reason(
    text: str, m: Mention, sentence: Span, paragraph_start: int, place: Place, others_in_sentence: int = 0,
    *, lowered: str | None = None, previous: tuple[int, Place] | None = None,
) -> str | None:
    """Why this mention is not the place of an incident, or None if it may be.

    ``others_in_sentence`` counts the sentence's other mentions of specific places (not of
    :data:`BROAD_KINDS`): a municipality named only as context ("near the village of Banjska in
    the municipality of Zvečan") is dropped when a more specific place stands beside it, and so
    is a region ("clashes in Mitrovica, the worst in northern Kosovo since..."). ``lowered`` is
    ``caseless.lower_text(text)`` when the caller has it already. ``previous``: the end offset
    and the place of the place mention before this one in its sentence, if any: a place that
    only locates it ("Rudare near Zvečan") is dropped, when it is no narrower.
    """
    country = country_reason(place)
    if country is not None:
        return country
    if is_dateline(text, m, paragraph_start):
        return "dateline"
    if is_label(text, m, paragraph_start):
        return "a label before a colon (a speaker's name, an item's heading)"
    if is_question(text, sentence, paragraph_start):
        return "a question, not a report"
    markup = in_wiki_markup(text, m, paragraph_start)
    if markup is not None:
        return markup
    low = lower_text(text) if lowered is None else lowered
    if unverified(low, sentence):
        return "a claim the text says it could not verify"
    if _CORRECTION.match(low, sentence.start, sentence.end):
        return "a correction notice: the story reports it already"
    b0, a1 = max(sentence.start, m.start - _CONTEXT), min(sentence.end, m.end + _CONTEXT)
    before, after = low[b0 : m.start], low[m.end : a1]  # lower-cased: for the twins only
    if others_in_sentence and (_T_ADMIN_BEFORE.search(before) or _T_ADMIN_AFTER.match(after)):
        return "administrative unit named as context for a more specific place"
    if others_in_sentence and (_T_ROAD_NAMED_BEFORE.search(before) or (
            _T_ROAD_NAMED_FIRST.search(before) and _T_DASH_AFTER.match(after))):
        return "end of a road that locates the place named before it"
    if previous is not None and _locates(low, previous, m, place):
        return "locates the place named before it"
    if previous is not None and _road_end(low, previous[0], m, before, sentence.start):
        return "end of a road that locates the place named before it"
    if place.kind == "region" and others_in_sentence:
        return REGION_BESIDE
    if _T_VENUE_BEFORE.search(before):
        return "venue of a statement, meeting or visit"
    if _T_BASE_BEFORE.search(low, max(sentence.start, m.start - _ORIGIN_CONTEXT), m.start):
        return "where someone is based, not where anything happened"
    if _T_SEE_BEFORE.search(before):
        return "a church's see or a title, not a place where anything happened"
    if _T_TAKEN_BEFORE.search(before):
        return "where someone was taken to hospital or is held"
    if _T_DESTINATION_BEFORE.search(before) or (others_in_sentence and _T_HEADING_BEFORE.search(before)):
        return "where they were going, not where they were"
    if _T_TOLD_BEFORE.search(before):
        return "whom it was told to (an outlet), or where news came from"
    if _T_ORIGIN_BEFORE.search(low, max(sentence.start, m.start - _ORIGIN_CONTEXT), m.start) or (
            others_in_sentence and (_T_RESIDENTS_OF_BEFORE.search(before)
                                    or _T_RESIDENT_AFTER.match(low, m.end, sentence.end))):
        return "where people came from, not where it happened"
    if _T_OFFENCE_BEFORE.search(low, max(sentence.start, m.start - _ORIGIN_CONTEXT), m.start):
        return "where the offence an arrest or charge is about took place"
    if (place.kind in _GOVERNMENT_KINDS or place.kind == "region") and in_quotation(text, m, sentence):
        return "inside a quotation (a speaker's claim, not a report)"
    if place.kind in _GOVERNMENT_KINDS:
        if low[sentence.start : m.start] in ("in ", "from ") and _T_STATEMENT_AFTER.match(after):
            return "venue of a statement, meeting or visit"
        if _T_GOVERNMENT_BEFORE.search(before) or _T_GOVERNMENT_OBJECT.search(before) or _T_PAIR.search(before):
            return "metonym: the capital stands for its government"
        if _T_GOVERNMENT_AFTER.match(after):
            return "metonym: the capital stands for its government"
        if not _T_LOCATIVE_BEFORE.search(before):
            return "metonym: a capital named without a locative preposition"
    if not place.curated:
        before = text[b0 : m.start]
        if _TITLE_BEFORE.search(before) or _GIVEN_NAME_BEFORE.search(before) or _T_SPEAKS_AFTER.match(after) or (
                _SURNAME_AFTER.match(text, m.end, sentence.end)
                or _FOOTNOTE_BEFORE.match(text, max(paragraph_start, text.rfind("\n", paragraph_start, m.start) + 1), m.start)):
            return PERSON_NAME
    return None


# A given name before a South Slavic surname ("Luka Dobrić", a first name that is also a village),
# and an author at the head of a footnote ("[28] Kastrati, "Gates and barricades", op. cit.").
_SURNAME_AFTER = re.compile(r"\s+[A-ZČĆŠŽĐ][a-zčćšžđ]+i[cć]\b")
_FOOTNOTE_BEFORE = re.compile(r"\[\d{1,3}\][ \t]*$")


def in_wiki_markup(text: str, m: Mention, paragraph_start: int) -> str | None:
    """Why a mention in wikitext is no place of an incident: it lies in a template (an
    infobox's field, "| terminus_a = [[North Mitrovica]]"; a citation's, "{{cite news
    |location=North Mitrovica}}"), or in a link's target, which its label names ("[[Slatina,
    Leposavić|Ibarska Slatina]]"); else None."""
    opened = text.rfind("{{", paragraph_start, m.start)
    if opened >= 0 and text.find("}}", opened, m.start) < 0:
        return "inside a wiki template (an infobox's or a citation's field)"
    link = text.rfind("[[", max(paragraph_start, m.start - 100), m.start)
    if link >= 0 and text.find("]]", link, m.start) < 0 and text.find("|", link, m.start) < 0:
        close = text.find("]]", m.end, m.end + 100)
        if close >= 0 and text.find("|", m.end, close) >= 0:
            return "a wiki link's target (its label names the place)"
    return None


# What follows a person's surname, not a place's name: "Tankosić writes that ...", "Tankosić
# also reports", "Tankosić spent the nineteen days ...", "Tankosić's account".
_PERSON_AFTER = twin(re.compile(
    r"(?:['’]s\b|,?\s+(?:also\s+|then\s+|later\s+|still\s+)?(?:was|is|has|had|says|said|writes|wrote|told|tells|"
    r"spent|reports|reported|argues|argued|recalls|recalled|adds|added|notes|noted|describes|described|claims|"
    r"claimed|believes|believed|thinks|thought|knows|knew)\b)", re.IGNORECASE))


def person_after(low: str, m: Mention) -> bool:
    """Whether what follows the mention is what follows a person's name (:data:`_PERSON_AFTER`)."""
    return _PERSON_AFTER.match(low, m.end) is not None


PERSON_NAME = "person name (a surname that is also a village)"
PERSON_NAMED_BEFORE = "person name (the article named this person before)"

_SPREAD_BEFORE = twin(re.compile(r"\b(?:in|across|throughout|around|all\s+over)\s+(?:the\s+)?(?:[\w-]+\s+)?$",
                                 re.IGNORECASE))


def spread_over(low: str, m: Mention, sentence: Span) -> bool:
    """Whether the mention (a region) is where something is said to happen: "across northern
    Kosovo", "in the north of Kosovo"; not "separates the Serb-majority north from the south"."""
    return _SPREAD_BEFORE.search(low, max(sentence.start, m.start - 40), m.start) is not None


def _locates(low: str, previous: tuple[int, Place], m: Mention, place: Place) -> bool:
    """Whether ``place`` (at ``m``) only locates the place mentioned before it, no wider, with
    nothing but a locator between them (:data:`_LOCATOR_BETWEEN`)."""
    end, before = previous
    if _BREADTH.get(place.kind, 1) < _BREADTH.get(before.kind, 1) or m.start - end > 80:
        return False
    return _T_LOCATOR_BETWEEN.fullmatch(low, end, m.start) is not None or (
        place.kind != "region" and _T_IN_BETWEEN.fullmatch(low, end, m.start) is not None) or (
        _BREADTH.get(place.kind, 1) > _BREADTH.get(before.kind, 1) and _CELL_BETWEEN.fullmatch(low, end, m.start) is not None)


def _road_end(low: str, previous_end: int, m: Mention, before: str, sentence_start: int) -> bool:
    """Whether the mention ends a road (:data:`_ROAD_END_BEFORE`, in ``before``) named for the
    place mentioned just before it, with nothing else between them (:data:`_ROAD_BETWEEN`):
    not "in Zvečan, and Serbs blocked the road to Jarinje"; or lies in a clause that says where
    a road named after a place runs (:data:`_ROAD_CLAUSE_BEFORE`)."""
    if (m.start - previous_end <= 60 and _T_ROAD_END_BEFORE.search(before) is not None
            and _T_ROAD_BETWEEN.fullmatch(low, previous_end, m.start) is not None):
        return True
    return _T_ROAD_CLAUSE_BEFORE.search(low, max(sentence_start, m.start - _ROAD_CLAUSE_CONTEXT), m.start) is not None


def ends_named_road(low: str, start: int) -> bool:
    """Whether the mention at ``start`` (in the lower-cased text) is the second end of a road
    named by its ends ("the regional road Leposavić – Lešak"): it locates nothing after it."""
    return _T_ROAD_NAMED_BEFORE.search(low, max(0, start - _CONTEXT), start) is not None


def geo_precision(text: str, m: Mention, sentence: Span, place: Place, *, lowered: str | None = None) -> int:
    """1 the place itself, 2 near it or part of it, 3 only a region."""
    if place.kind == "region":
        return 3
    low = lower_text(text) if lowered is None else lowered
    if _T_NEAR_BEFORE.search(low[max(sentence.start, m.start - _CONTEXT) : m.start]):
        return 2
    return 1
