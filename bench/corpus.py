"""A reproducible synthetic news corpus with known incidents, for benchmarks at scale.

Each article is built from realistic sentence templates over the whole gazetteer (curated
places and the GeoNames settlements of Kosovo): incident sentences of every ACLED type at a
place (by its name or one of its aliases, with or without diacritics), dated by the phrases
reporters use ("on Sunday", "last Monday", "at the weekend", "on December 9", "yesterday",
"on 9 December 2022", none at all), mixed with what must NOT become an incident: datelines
("ZVEČAN, Kosovo –"), capitals standing for governments ("Belgrade accused Pristina..."),
venues of statements, outlet and agreement names, country names, places named without an
event. Most articles start with ``date YYYY-MM-DD Headline``; a few carry no publication date
and date their events explicitly ("on Friday (December 9)").

The generator knows what it wrote, so ``truth.jsonl`` lists every true incident per article
(place, type, date window, the mention's offsets) and every planted negative.

Outputs in OUT_DIR (the same seed always gives the same bytes):
- ``articles.jsonl``: one ``{"id", "text"}`` object a line (``text`` is the whole article,
  date line included, so offsets agree with the .txt files);
- ``txt/<id>.txt``: the same articles, one file each (``--no-txt`` skips them);
- ``truth.jsonl``: one line per article;
- ``manifest.json``: N, seed, generator version, sizes.

    python -m bench.corpus 10000 bench/corpus/10k --seed 20261122
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from geodata import gazetteer as gazetteer_mod
from pipeline.textnorm import fold

GENERATOR_VERSION = 1


def inputs_digest() -> str:
    """What a corpus is made from besides its parameters: the gazetteer's files and this
    generator's code. A corpus written from others is written again (a corpus kept from before
    "Kosovska Mitrovica" moved to the north scored the build against the old gazetteer)."""
    digest = hashlib.sha256()
    for path in (gazetteer_mod.CURATED, gazetteer_mod.GEONAMES, Path(__file__)):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
DEFAULT_SEED = 20261122
FIRST_PUBLISHED, LAST_PUBLISHED = dt.date(2021, 1, 4), dt.date(2023, 12, 29)

# The six named places the project must get right, and how the press writes them.
NAMED = ("jarinje_crossing", "kopaonik", "leposavic", "zvecan", "zubin_potok", "north_mitrovica")
NAMED_FORMS: dict[str, tuple[str, ...]] = {
    "jarinje_crossing": ("Jarinje border crossing", "Jarinje crossing", "Jarinje", "Jarinje checkpoint",
                         "Jarinje border", "Jarinje administrative crossing"),
    "kopaonik": ("Kopaonik", "Mount Kopaonik", "Kopaonik mountain"),
    "leposavic": ("Leposavić", "Leposavic", "Leposaviq"),
    "zvecan": ("Zvečan", "Zvecan", "Zveçan"),
    "zubin_potok": ("Zubin Potok",),
    "north_mitrovica": ("North Mitrovica", "northern Mitrovica", "North Mitrovica",
                        "the northern part of the divided city of Mitrovica", "Mitrovica's north"),
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

# Incident templates: (text, event_type, sub_event_type, geo_precision). ``{L}`` is the
# location phrase (see _location), ``{D}`` the date phrase (may be empty), ``{N}`` a number.
INCIDENTS: tuple[tuple[str, str, str, int], ...] = (
    ("Hundreds of local Serbs blocked the main road {L}{D} with trucks and tractors, protesting against the new licence plate rules.",
     "Protests", "Peaceful protest", 1),
    ("Several thousand people gathered {L}{D} to protest against the arrest of a former police officer.",
     "Protests", "Peaceful protest", 1),
    ("Residents set up barricades {L}{D}, demanding the withdrawal of the special police units.",
     "Protests", "Peaceful protest", 1),
    ("Demonstrators marched through the streets {L}{D}, waving Serbian flags and chanting slogans.",
     "Protests", "Peaceful protest", 1),
    ("Police used tear gas to disperse protesters {L}{D}.",
     "Protests", "Protest with intervention", 1),
    ("Protesters clashed with police {L}{D}, and {N} officers were lightly injured.",
     "Riots", "Violent demonstration", 1),
    ("A group of young men threw stones at KFOR soldiers {L}{D}.",
     "Riots", "Violent demonstration", 1),
    ("An angry mob torched two police vehicles {L}{D}.",
     "Riots", "Mob violence", 1),
    ("Gunmen opened fire on a Kosovo police patrol {L}{D}, a police spokesperson said.",
     "Battles", "Armed clash", 1),
    ("Police said an exchange of fire with an armed group took place {L}{D}.",
     "Battles", "Armed clash", 1),
    ("A hand grenade was thrown at a police station {L}{D}, causing damage but no injuries.",
     "Explosions/Remote violence", "Grenade", 1),
    ("An explosive device went off under a parked car {L}{D}.",
     "Explosions/Remote violence", "Remote explosive/landmine/IED", 1),
    ("Masked men assaulted two journalists {L}{D}, the Association of Journalists said.",
     "Violence against civilians", "Attack", 1),
    ("A local shop owner was abducted {L}{D}, his family told reporters.",
     "Violence against civilians", "Abduction/forced disappearance", 1),
    ("Kosovo police arrested {N} men {L}{D} on suspicion of war crimes.",
     "Strategic developments", "Arrests", 1),
    ("A former Serbian police officer was detained {L}{D}.",
     "Strategic developments", "Arrests", 1),
    ("KFOR deployed additional troops {L}{D}.",
     "Strategic developments", "Change to group/activity", 1),
    ("Kosovo special police units were deployed {L}{D}, according to the interior ministry.",
     "Strategic developments", "Change to group/activity", 1),
    ("Unknown persons vandalised the municipal building {L}{D}.",
     "Strategic developments", "Looting/property destruction", 1),
    ("Authorities closed the local school {L}{D} after the incident.",
     "Strategic developments", "Other", 1),
)
# Sentences that name a place where nothing happened, or a place that is not a place here.
# ``{P}`` a place name, ``{C}``/``{C2}`` capitals, ``{O}`` an outlet, ``{A}`` an agreement.
NEGATIVES: tuple[tuple[str, str], ...] = (
    ("{C} accused {C2} of escalating the situation in the north.", "metonym"),
    ("Officials in {C} said the measures were temporary and proportionate.", "metonym"),
    ("Serbia's president told reporters in Belgrade that his country wanted peace.", "venue"),
    ("Relations between Belgrade and Pristina have worsened since the summer.", "metonym"),
    ("The EU-facilitated dialogue has made little progress, {O} reported.", "outlet"),
    ("Both sides committed to the {A} a decade ago, but much of it remains unimplemented.", "agreement"),
    ("{P} is home to a few thousand people, most of them ethnic Serbs.", "no incident"),
    ("The road from {P} to the main highway was repaired last year with EU funds.", "no incident"),
    ("Kosovo declared independence from Serbia in 2008, a move Belgrade does not recognise.", "country"),
    ("The mayor of {P} was elected in local elections held in April.", "no incident"),
)
BACKGROUND = (
    "Tensions in the region have been high for months.",
    "About 50,000 ethnic Serbs live in the four northern municipalities.",
    "The NATO-led peacekeeping mission said it was closely monitoring the situation.",
    "The European Union called on both sides to show restraint.",
    "Local Serb leaders said they had not been consulted.",
    "The situation remained calm but tense, according to residents.",
    "Diplomats from several Western countries are expected to visit the region.",
    "Traffic was slowly returning to normal later in the day.",
    "Shops and cafes reopened after a short break.",
    "The interior minister said the police acted within the law.",
    "The dispute over vehicle licence plates has dragged on for more than a year.",
    "Most ethnic Serbs in the area do not recognise the authority of the government.",
    "The United States and the European Union have repeatedly urged both governments to return to talks.",
    "Local officials said that schools and health centres would stay open as usual.",
    "\u201cWe just want to live in peace,\u201d a resident who asked not to be named told the agency.",
    "The prime minister described the situation as \u201cvery serious\u201d but under control.",
    "Serbian officials have accused the government of trying to drive Serbs out of the area.",
    "Kosovo has been recognised by more than 100 countries, but not by Serbia, Russia or China.",
    "A spokesperson for the EU's foreign policy chief said the bloc was in contact with both sides.",
    "The Serb List, the main party of Kosovo Serbs, said its members would not take part in the institutions.",
    "Analysts say the crisis is the most serious in years.",
    "The local elections held last year were boycotted by most Serb voters.",
    "Many residents work in public institutions financed by the government of Serbia.",
    "The police said the investigation was continuing and asked witnesses to come forward.",
    "Nobody was hurt, according to the first reports.",
    "Several international organisations expressed concern about the safety of journalists.",
    "The ombudsman's office said it had received dozens of complaints from citizens.",
    "A human rights group said people in the area feel increasingly insecure.",
    "The army chief of staff visited units stationed along the administrative line.",
    "The government said it would not back down on its decision.",
    "Power cuts have been frequent in recent months, residents say.",
    "The OSCE mission said it was following developments closely.",
    "More than 10,000 people died in the 1998-99 war.",
    "The region has a long history of mining, and the old smelter still dominates the skyline.",
    "Families in the area said they were worried about the coming winter.",
    "The talks are mediated by the EU's special representative for the dialogue.",
    "Opposition parties criticised the government for not consulting parliament.",
    "The health ministry said hospitals in the area were working normally.",
    "Public transport between the towns was suspended for several hours.",
    "Local media reported long queues of trucks waiting to cross.",
)
OUTLETS = ("Balkan Insight", "Radio Free Europe", "Kosovo Online", "Koha Ditore", "Prishtina Insight",
           "Radio Kontakt Plus")
AGREEMENTS = ("Brussels Agreement", "Washington Agreement")
HEADLINES = ("Tensions rise in northern Kosovo", "Unrest in the north of Kosovo",
             "Police and protesters in new standoff", "Kosovo: incidents reported overnight",
             "Serbs and police face off again", "KFOR steps up presence",
             "Night of unrest in the north", "Arrests and roadblocks in Kosovo")


@dataclass(frozen=True)
class _Target:
    place_id: str
    kind: str
    forms: tuple[str, ...]  # surface forms that point back to this place in the gazetteer
    admin2: str


def _targets(gazetteer) -> tuple[list[_Target], list[_Target], list[_Target]]:
    """(the six named places, other curated places in the region, GeoNames settlements)."""
    names = gazetteer.names

    def forms_of(place) -> tuple[str, ...]:
        out = []
        for form in (place.name, *place.aliases):
            ids = names.get(fold(form).strip(), ())
            # a form a reader would take for this place: Latin script, a proper noun, and it names
            # this place only (a GeoNames village sharing its name with another would need
            # geographic context a random synthetic article does not have)
            unique = ids == (place.place_id,) if not place.curated else ids[:1] == (place.place_id,)
            if unique and form[:1].isupper() and all(ord(c) < 0x0400 for c in form):
                out.append(form)
        return tuple(dict.fromkeys(out))

    named = [_Target(pid, gazetteer.places[pid].kind, NAMED_FORMS[pid], gazetteer.places[pid].admin2)
             for pid in NAMED]
    curated, geonames = [], []
    for p in gazetteer.places.values():
        if p.place_id in NAMED or p.kind == "country" or p.country not in ("XK", "RS"):
            continue
        if p.kind == "region":
            curated.append(_Target(p.place_id, p.kind, ("northern Kosovo", "the north of Kosovo"), p.admin2))
            continue
        if p.place_id == "ibar_bridge":
            curated.append(_Target(p.place_id, p.kind, ("the bridge over the Ibar", "the Ibar bridge"), p.admin2))
            continue
        forms = forms_of(p)
        if not forms:
            continue
        (curated if p.curated else geonames).append(_Target(p.place_id, p.kind, forms, p.admin2))
    return named, curated, geonames


def _location(rng: random.Random, t: _Target, form: str) -> tuple[str, int, int]:
    """A location phrase for ``form``: (phrase, offset of the form in it, geo_precision)."""
    if t.kind == "border_crossing":
        if "crossing" in form or "checkpoint" in form or "border" in form:
            phrase = f"at the {form}"
        else:
            phrase = f"at the {form} crossing" if rng.random() < 0.5 else f"near {form}"
    elif t.kind == "mountain":
        phrase = rng.choice((f"on {form}", f"at a ski resort on {form}", f"in the {form} area"))
    elif t.kind == "region":
        phrase = f"in {form}"
    elif t.kind == "village":
        phrase = rng.choice((f"in the village of {form}", f"in {form}", f"in {form}", f"near {form}"))
    elif form.startswith("the "):
        phrase = f"in {form}"
    else:
        phrase = rng.choice((f"in {form}", f"in {form}", f"in the centre of {form}", f"on the outskirts of {form}"))
    at = phrase.rindex(form)
    before = phrase[:at]
    precision = 3 if t.kind == "region" else 2 if ("near " in before or "outskirts" in before) else 1
    return phrase, at, precision


def _date_phrase(rng: random.Random, published: dt.date | None) -> tuple[str, dt.date, dt.date]:
    """A date phrase and the window it means: (phrase with leading space or "", start, end)."""
    if published is None:  # undated article: explicit dates only
        k = rng.randrange(0, 40)
        day = dt.date(2022, 12, 16) - dt.timedelta(days=k + rng.randrange(0, 400))
        if rng.random() < 0.5:
            return f" on {WEEKDAYS[day.weekday()]} ({MONTHS[day.month - 1]} {day.day})", day, day
        return f" on {day.day} {MONTHS[day.month - 1]} {day.year}", day, day
    P = published
    r = rng.random()
    if r < 0.22:
        day = P - dt.timedelta(days=rng.randrange(0, 7))
        return rng.choice((f" on {WEEKDAYS[day.weekday()]}", f" earlier on {WEEKDAYS[day.weekday()]}",
                           f" on {WEEKDAYS[day.weekday()]} evening")), day, day
    if r < 0.30:
        day = P - dt.timedelta(days=rng.randrange(1, 8))
        return f" last {WEEKDAYS[day.weekday()]}", day, day
    if r < 0.38:
        day = P - dt.timedelta(days=1)
        return " yesterday", day, day
    if r < 0.50:
        day = P - dt.timedelta(days=rng.randrange(0, 25))
        return f" on {MONTHS[day.month - 1]} {day.day}", day, day
    if r < 0.58:
        day = P - dt.timedelta(days=rng.randrange(0, 60))
        return f" on {day.day} {MONTHS[day.month - 1]} {day.year}", day, day
    if r < 0.64 and P.weekday() in (0, 1, 2, 6):
        sat = P - dt.timedelta(days=(P.weekday() - 5) % 7)
        return " at the weekend", sat, sat + dt.timedelta(days=1)
    return "", P - dt.timedelta(days=1), P  # no date: the day before publication or that day


class CorpusWriter:
    """Generates articles one at a time (constant memory) from one seeded random stream."""

    def __init__(self, seed: int = DEFAULT_SEED) -> None:
        self.rng = random.Random(seed)
        gaz = gazetteer_mod.load()
        self.named, self.curated, self.geonames = _targets(gaz)
        self.capitals = ("Belgrade", "Pristina")
        self.span_days = (LAST_PUBLISHED - FIRST_PUBLISHED).days

    def _pick_target(self) -> _Target:
        r = self.rng.random()
        if r < 0.35:
            return self.rng.choice(self.named)
        if r < 0.50:
            return self.rng.choice(self.curated)
        return self.rng.choice(self.geonames)

    def article(self, index: int) -> tuple[dict, dict]:
        """One article (``{"id", "text"}``) and its truth."""
        rng = self.rng
        aid = f"syn{index:06d}"
        published = None if rng.random() < 0.05 else FIRST_PUBLISHED + dt.timedelta(days=rng.randrange(self.span_days + 1))
        headline = rng.choice(HEADLINES)
        targets: list[_Target] = []
        while len(targets) < rng.choice((1, 1, 2, 2, 3, 4)):
            t = self._pick_target()
            if all(t.place_id != o.place_id for o in targets):
                targets.append(t)
        # sentences: (text, truth record or None); offsets are fixed once the text is assembled
        paragraphs: list[list[tuple[str, list[dict]]]] = []
        incidents, negatives = [], []
        dateline = ""
        if rng.random() < 0.3:
            dl = rng.choice([t for t in targets if t.kind in ("town", "village")] + [self.named[3], self.named[2]])
            form = dl.forms[0]
            dateline = f"{form.upper() if rng.random() < 0.5 else form}, Kosovo – "
            negatives.append({"place_id": dl.place_id, "mention": dateline[: len(form)], "why": "dateline"})
        body_sentences: list[tuple[str, list[dict]]] = []
        for t in targets:
            template, etype, sub, _ = rng.choice(INCIDENTS)
            form = t.forms[0] if rng.random() < 0.5 else rng.choice(t.forms)
            loc, at, geo = _location(rng, t, form)
            phrase, d0, d1 = _date_phrase(rng, published)
            pre, post = template.split("{L}", 1)
            pre = pre.replace("{N}", str(rng.randrange(2, 9)))
            post = post.replace("{D}", phrase).replace("{N}", str(rng.randrange(2, 9)))
            text = pre + loc + post
            body_sentences.append((text, [{
                "place_id": t.place_id, "mention": form, "_at": len(pre) + at,
                "event_type": etype, "sub_event_type": sub, "geo_precision": geo,
                "date_start": d0.isoformat(), "date_end": d1.isoformat(), "date_phrase": phrase.strip(),
            }]))
        for _ in range(rng.randrange(2, 6)):
            template, why = rng.choice(NEGATIVES)
            recs: list[dict] = []
            c1, c2 = rng.sample(self.capitals, 2)
            if "{P}" in template:
                t = self._pick_target()
                if any(t.place_id == o.place_id for o in targets) or t.kind == "region":
                    continue
                form = rng.choice(t.forms)
                at = template.index("{P}")
                template = template.replace("{P}", form)
                recs.append({"place_id": t.place_id, "mention": form, "why": why, "_at": at})
            text = (template.replace("{C}", c1).replace("{C2}", c2)
                    .replace("{O}", rng.choice(OUTLETS)).replace("{A}", rng.choice(AGREEMENTS)))
            body_sentences.append((text, recs))
        body_sentences.extend((s, []) for s in rng.sample(BACKGROUND, rng.randrange(8, 22)))
        if published is None:  # the year is named somewhere, as in any real report
            body_sentences.append((f"Tensions have been rising since the start of {rng.choice((2021, 2022))}.", []))
        rng.shuffle(body_sentences)
        # the lead is an incident: news leads with what happened
        lead = next(i for i, (_, recs) in enumerate(body_sentences) if recs and "event_type" in recs[0])
        body_sentences.insert(0, body_sentences.pop(lead))
        while body_sentences:
            n = rng.randrange(1, 5)
            paragraphs.append(body_sentences[:n])
            body_sentences = body_sentences[n:]
        # assemble, recording offsets
        text = f"date {published.isoformat()} {headline}\n\n" if published else f"{headline}\n\n"
        if dateline:
            negatives[0]["char_start"] = len(text)
            negatives[0]["char_end"] = len(text) + len(negatives[0]["mention"])
            text += dateline
        for p_no, para in enumerate(paragraphs):
            if p_no:
                text += "\n\n"
            for s_no, (sentence, recs) in enumerate(para):
                if s_no:
                    text += " "
                for rec in recs:
                    rec["char_start"] = len(text) + rec.pop("_at")
                    rec["char_end"] = rec["char_start"] + len(rec["mention"])
                    (incidents if "event_type" in rec else negatives).append(rec)
                text += sentence
        text += "\n"
        for rec in incidents + negatives:
            assert text[rec["char_start"]:rec["char_end"]] == rec["mention"], (aid, rec)
        truth = {"id": aid, "published": published.isoformat() if published else None,
                 "incidents": sorted(incidents, key=lambda r: r["char_start"]),
                 "negatives": sorted(negatives, key=lambda r: r["char_start"])}
        return {"id": aid, "text": text}, truth


def write_corpus(n: int, out_dir: Path, seed: int = DEFAULT_SEED, txt: bool = True) -> dict:
    """Write the corpus (see the module docstring); returns the manifest."""
    out_dir = Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    (out_dir / "txt").mkdir(parents=True) if txt else out_dir.mkdir(parents=True)
    t0 = time.perf_counter()
    gen = CorpusWriter(seed)
    text_bytes = 0
    n_incidents = n_named = 0
    with open(out_dir / "articles.jsonl", "w", encoding="utf-8", newline="\n") as jf, \
         open(out_dir / "truth.jsonl", "w", encoding="utf-8", newline="\n") as tf:
        for i in range(n):
            art, truth = gen.article(i)
            jf.write(json.dumps(art, ensure_ascii=False) + "\n")
            tf.write(json.dumps(truth, ensure_ascii=False) + "\n")
            data = art["text"].encode("utf-8")
            text_bytes += len(data)
            n_incidents += len(truth["incidents"])
            n_named += sum(r["place_id"] in NAMED for r in truth["incidents"])
            if txt:
                (out_dir / "txt" / f"{art['id']}.txt").write_bytes(data)
    manifest = {
        "articles": n, "seed": seed, "generator_version": GENERATOR_VERSION, "inputs": inputs_digest(),
        "text_bytes": text_bytes, "true_incident_mentions": n_incidents,
        "true_incident_mentions_named_six": n_named, "txt": txt,
        "seconds": round(time.perf_counter() - t0, 2),
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def ensure_corpus(n: int, out_dir: Path, seed: int = DEFAULT_SEED, txt: bool = True) -> dict:
    """Reuse a corpus already written with the same parameters from the same gazetteer and
    generator (:func:`inputs_digest`), else write it."""
    manifest_path = Path(out_dir) / "manifest.json"
    if manifest_path.is_file():
        m = json.loads(manifest_path.read_text(encoding="utf-8"))
        same = (m.get("articles"), m.get("seed"), m.get("generator_version"), m.get("inputs"))
        if same == (n, seed, GENERATOR_VERSION, inputs_digest()) and (m.get("txt") or not txt):
            return m
    return write_corpus(n, out_dir, seed, txt)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__.split("\n\n")[0])
    p.add_argument("n", type=int, help="number of articles")
    p.add_argument("out_dir", type=Path)
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--no-txt", action="store_true", help="write articles.jsonl only, not the folder of .txt files")
    args = p.parse_args(argv)
    m = write_corpus(args.n, args.out_dir, args.seed, not args.no_txt)
    print(json.dumps(m))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
