"""What `briefgen new` proposes beside the quotes: names to annotate and who said what.

Both are suggestions an editor confirms, so they aim to be few and right rather than
complete. Names are runs of capitalised words (with initials, `Ted S. Warren`, and
particles, `Quai d'Orsay`, `Mohammed bin Salman`, `Ursula von der Leyen`) that recur; a
word is not taken for a name when it only opens sentences (it also occurs lowercase, or
never occurs capitalised mid-sentence), is a function word of the article's language, an
abbreviation (`Rep`, `Dec`), or a date word. Possessives are read as the name (`Meadows’s`
is `Meadows`). German capitalises every noun, so there a single word is a name only if no
determiner ever precedes it (`das Obst`, `im Kühlraum`) and it never ends a longer word
(`Lieferzeiten` makes `Zeiten` a common noun). French, Spanish, Italian and Portuguese
capitalise only the first word of an institution (`Conseil constitutionnel`): a word always
followed by the same lowercase word is proposed with it. Arabic has no capitals: there the
names are the speakers the article quotes and the recurring phrases that open with a title
(`وزير الخارجية القطري`).

A speaker hint is the name a speech verb attaches to a quote in the same sentence
(`“…,” said X`, `X said: “…”`, `« … », a déclaré X`, `„…“, sagte X`, `وقال X: «…»`), with
a role before it dropped (`US Secretary of State Antony Blinken` is `Antony Blinken`); a
pronoun or a bare role (`the minister said`) gives none.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from briefgen.vocabulary.dates import MONTH_NAMES


def wordset(text: str) -> frozenset[str]:
    """The words of a table written as text, one space or line apart."""
    return frozenset(text.split())


STOPWORDS = {
    "en": """a an and as at but by during despite for from he her hers him his however i if
        in into is it its it's me my no nor not of on or our since she so than that the their
        theirs them then there these they this those though to under until upon us was we were
        what when where which while who whom whose why with without you your against after
        before also all any both each few more most other some such only own same too very
        can will just should now here how about above below between through over again once
        because although yet whether according""",
    "fr": """le la les l un une des du de d au aux et ou mais donc or ni car que qu qui quoi
        dont où ce cet cette ces il elle ils elles on nous vous je tu me te se lui leur leurs
        son sa ses mon ma mes ton ta tes notre nos votre vos dans par pour sur sous avec sans
        entre chez vers depuis pendant selon contre avant après en y ne pas plus si comme
        lorsque quand puis aussi ainsi alors tout tous toute toutes deux autres autre""",
    "de": """der die das den dem des ein eine einen einem einer eines und oder aber doch denn
        sondern dass daß wenn als wie ob weil da ich du er sie es wir ihr ihn ihm ihnen sich
        mein dein sein ihre ihr unser euer dieser diese dieses diesen diesem jener man in im
        an am auf aus bei beim mit nach seit von vom zu zum zur für über unter vor hinter
        neben zwischen durch gegen ohne um nicht auch noch schon nur so dann warum was wer
        wo ist sind war waren wird werden hat haben statt trotz wegen während""",
    "es": """el la los las lo un una unos unas y e o u pero sino ni que quien quienes cual
        cuyo este esta estos estas ese esa esos esas aquel él ella ellos ellas yo tú usted
        nosotros vosotros ustedes me te se nos le les su sus mi mis tu tus nuestro nuestra
        de del a al en con por para sin sobre entre hacia hasta desde según contra durante
        tras como cuando donde si no más muy también ya""",
    "it": """il lo la i gli le un uno una e ed o ma però che chi cui questo questa questi
        queste quello quella quelli io tu lui lei noi voi loro egli ella si ci ne mi ti vi suo
        sua suoi sue di del della dei degli delle a al alla ai agli alle da dal dalla in nel
        nella nei con su sul sulla per tra fra come quando dove se non più anche già""",
    "pt": """o a os as um uma uns umas e ou mas porém que quem cujo este esta estes estas esse
        essa isso aquele aquela ele ela eles elas eu tu você nós vós vocês me te se nos lhe
        lhes seu sua seus suas meu minha de do da dos das em no na nos nas por pelo pela
        para com sem sobre entre até desde segundo contra durante como quando onde não mais
        também já""",
}
"""Function words of each language (articles, pronouns, conjunctions, prepositions): they
open sentences and institution names, never a name of their own."""
STOPS = {lang: wordset(words) for lang, words in STOPWORDS.items()}
ALL_STOPS = frozenset().union(*STOPS.values())
DAYS = """monday tuesday wednesday thursday friday saturday sunday lundi mardi mercredi
    jeudi vendredi samedi dimanche montag dienstag mittwoch donnerstag freitag samstag
    sonntag lunes martes miércoles jueves viernes sábado domingo"""
ABBREVIATIONS = wordset("""
    rep reps sen sens gov govt mr mrs ms dr gen lt col sgt capt adm jr sr rev prof pres
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat
    sun mme mlle mm""")
"""Abbreviations written with capitals (`Rep.`, `Dec.`): a title or a date, never a name,
and their full stop ends no sentence."""
DATE_WORDS = frozenset({*DAYS.split(), *(m.lower() for m in MONTH_NAMES)})
GERMAN_DETERMINERS = wordset(
    "der die das den dem des ein eine einen einem einer eines im am zum zur vom beim ins"
)
"""What precedes a German common noun and not a name: the articles, and their contractions
with a preposition (im, zum, vom)."""
PARTICLES = wordset("of the for de du des del della di da do dos von van zu bin ibn bint")
"""Lowercase words inside names: `Secretary of State`, `Ursula von der Leyen`."""
AFTER_PARTICLE = wordset("der den la le las los")
"""Articles inside names only after another particle: `von der Leyen`, `de la Fontaine`."""
ROLES = wordset("""
    president prime minister secretary state foreign defense defence chancellor senator
    governor general spokesman spokeswoman spokesperson ambassador premier king queen prince
    sheikh pope chief director judge justice mayor colonel commander admiral leader
    président ministre präsident präsidentin kanzler kanzlerin bundeskanzler bundeskanzlerin
    ministerin presidente ministro rep sen gov mr mrs ms dr gen""")
"""Words of a role written before a name: `US Secretary of State Antony Blinken` quotes
Antony Blinken."""
PRONOUNS = wordset("he she they il elle ils elles er sie es él ella lui lei ele")
LATIN_TOKEN = re.compile(r"\w+(?:['’\-]\w+)*['’]?")
ELISION = re.compile(r"^(?:(?:[dlDL]|[Qq]u)['’]|(?:pro|anti|ex|non|post|pre|neo)-)(?=\w)")
"""An elided article (`l’Airbus`, `d'Orsay`) or a prefix (`pro-Tehran`) before a name."""
SENTENCE_GAP = re.compile(r"[.!?:;…«“„‘‚(]")
ARABIC = re.compile(r"[\u0600-\u06ff]")

VERBS = {
    "en": r"said|says|told|added|assured|stated|insisted|warned|explained|according to",
    "fr": r"a déclaré|a assuré|a dénoncé|a affirmé|a ajouté|a expliqué|a estimé|a dit|"
    r"a souligné|déclare|affirme|selon",
    "de": r"sagte|sagt|erklärte|erklärt|betonte|betont|berichtete|berichtet|so",
    "es": r"dijo|afirmó|según|aseguró|declaró|añadió|explicó",
    "it": r"ha detto|ha dichiarato|ha affermato|secondo",
    "pt": r"disse|afirmou|segundo|declarou",
}
"""Speech verbs that attribute a quote in the same sentence, per language."""
SKIPPED_AFTER_VERB = frozenset(
    {
        *DAYS.split(),
        *wordset("on yesterday today hier aujourd'hui heute gestern ayer hoy ieri oggi also"),
    }
)
"""What may stand between a verb and its speaker: `assured, on Monday, Antony Blinken`."""
AR_VERBS = "قال|صرح|أكد|أضاف|أوضح|قالت|صرحت|أكدت|أضافت|أوضحت"
AR_SPEAKER = re.compile(
    rf"(?:^|[\s،.])و?(?:{AR_VERBS})\s+([^\s،:.«»\"“”()]+(?:\s+[^\s،:.«»\"“”()]+){{0,5}}?)"
    r"\s*(?:،|:|\s+(?:إن|أن)\b)"
)
AR_NOT_NAMES = wordset("في من إلى على عن مع له لها إن أن انه إنه أنه بعد قبل ل لـ")
AR_TITLES = wordset("""وزير وزيرة رئيس رئيسة الرئيس الوزير حكومة إقليم مدينة دولة الشيخ الأمير الملك
    السفير المتحدث الناطق نائب مستشار قائد الأمين محافظ""")
"""Arabic words that open a title or an institution: `وزير الخارجية`, `حكومة إقليم كردستان`."""


def guess_language(texts: Iterable[str], default: str = "") -> str:
    """The article's language from its function words, or `default` when they do not tell.

    `new` runs before the sidecar says `article.language`, and a site in one language often
    briefs articles in others, so the text decides; the site's language settles a tie."""
    text = " ".join(texts)
    if len(ARABIC.findall(text)) > sum(c.isalpha() and c.isascii() for c in text):
        return "ar"
    words = [w.lower() for w in LATIN_TOKEN.findall(text)]
    scores = Counter({lang: sum(w in stops for w in words) for lang, stops in STOPS.items()})
    ranked = scores.most_common(2)
    if ranked and ranked[0][1] >= 3 and ranked[0][1] > 1.5 * ranked[1][1]:
        return ranked[0][0]
    return default.split("-")[0].lower()


@dataclass(frozen=True)
class Token:
    """A word of a paragraph."""

    word: str
    """Its text, a possessive ending and an elided article dropped (`Meadows’s` is
    `Meadows`, `l’Airbus` is `Airbus`)."""
    raw: str
    """Its text but the possessive: `d’Orsay`, written so inside a name."""
    start: int
    end: int
    initial: bool
    """Whether it opens a sentence."""
    capital: bool
    """Whether it starts with a capital, an elided article aside (`d'Orsay`)."""


def tokens(text: str) -> list[Token]:
    found: list[Token] = []
    prev_end = 0
    for m in LATIN_TOKEN.finditer(text):
        raw = re.sub(r"['’]s?$", "", m[0]) or m[0]
        word = ELISION.sub("", raw)
        gap = text[prev_end : m.start()]
        prev = found[-1].raw if found else ""
        short = (len(prev) == 1 and prev.isupper()) or prev.lower() in ABBREVIATIONS
        initial = not found or bool(SENTENCE_GAP.search(gap) and not (short and gap.strip() == "."))
        found.append(Token(word, raw, m.start(), m.end(), initial, word[:1].isupper()))
        prev_end = m.end()
    return found


def runs(text: str, toks: list[Token]) -> Iterable[list[Token]]:
    """Maximal runs of capitalised words, joined by spaces, initials' full stops and the
    particles of names."""
    i = 0
    while i < len(toks):
        if not toks[i].capital:
            i += 1
            continue
        run = [toks[i]]
        j = i + 1
        while j < len(toks):
            gap = text[toks[j - 1].end : toks[j].start]
            last = toks[j - 1].raw
            spaced = gap.isspace() or (len(last) == 1 and last.isupper() and gap.strip() == ".")
            if not spaced or (toks[j].initial and gap.strip()):
                break
            if toks[j].capital:
                run.append(toks[j])
                j += 1
                continue
            # particles, then a capitalised word: "von der Leyen", "Secretary of State"
            k = j
            while k < len(toks) and text[toks[k - 1].end : toks[k].start].isspace():
                w = toks[k].raw.lower()
                if w in PARTICLES or (w in AFTER_PARTICLE and k > j):
                    k += 1
                    continue
                break
            if (
                j < k < len(toks)
                and toks[k].capital
                and text[toks[k - 1].end : toks[k].start].isspace()
            ):
                run += toks[j : k + 1]
                j = k + 1
                continue
            break
        yield run
        i = j


def spell(text: str, run: list[Token]) -> str:
    """The run as written, an initial keeping its full stop and spaces made single."""
    parts = []
    for n, tok in enumerate(run):
        word = tok.word if n == 0 else tok.raw
        if len(word) == 1 and word.isupper() and text[tok.end : tok.end + 1] == ".":
            word += "."
            if n + 1 < len(run) and run[n + 1].start == tok.end + 1:
                parts.append(word)
                continue
        parts.append(word + " ")
    return "".join(parts).strip()


def latin_names(blocks: list[str], language: str) -> Counter[str]:
    stops = STOPS.get(language, ALL_STOPS)
    all_toks = [tokens(b) for b in blocks]
    lower = {t.word.lower() for ts in all_toks for t in ts if not t.capital}
    mid_caps = {t.word for ts in all_toks for t in ts if t.capital and not t.initial}
    noise = stops | ABBREVIATIONS | DATE_WORDS

    def opens_only(tok: Token, alone: bool) -> bool:
        """A sentence's first word, not a name's: it occurs lowercase, or (alone) it is
        never capitalised mid-sentence."""
        return tok.initial and (tok.word.lower() in lower or (alone and tok.word not in mid_caps))

    counts: Counter[str] = Counter()
    followers: dict[str, set[str]] = {}
    common: set[str] = set()  # German single words that a determiner precedes
    for text, toks in zip(blocks, all_toks, strict=True):
        for n, tok in enumerate(toks):
            if n and toks[n - 1].word.lower() in GERMAN_DETERMINERS and tok.capital:
                common.add(tok.word)
        for run in runs(text, toks):
            while run and (run[0].word.lower() in noise or opens_only(run[0], len(run) == 1)):
                run = run[1:]
            while run and run[0].word.lower() in PARTICLES | AFTER_PARTICLE:
                run = run[1:]
            while run and run[-1].word.lower() in noise:
                run = run[:-1]
            if not run:
                continue
            name = spell(text, run)
            if len(name) < 3 or (name.isupper() and len(name) < 4):
                continue
            counts[name] += 1
            if len(run) == 1:
                at = toks.index(run[0])
                nxt = toks[at + 1] if at + 1 < len(toks) else None
                gap = text[run[0].end : nxt.start] if nxt else ""
                ok = nxt and gap.isspace() and not nxt.capital and nxt.word.lower() not in noise
                followers.setdefault(name, set()).add(nxt.word if nxt and ok else "")
    if language == "de":
        words = {t.word.lower() for ts in all_toks for t in ts}
        for name in list(counts):
            compound = any(w != name.lower() and w.endswith(name.lower()) for w in words)
            if " " not in name and (name in common or compound):
                del counts[name]
    if language in ("fr", "es", "it", "pt"):
        for name, after in followers.items():
            if len(after) == 1 and "" not in after and name in counts:
                counts[f"{name} {after.pop()}"] += counts.pop(name)
    return counts


def arabic_speaker(before: str) -> str:
    """The speaker the last Arabic speech verb of `before` names, a role before it dropped."""
    found = list(AR_SPEAKER.finditer(before))
    if not found:
        return ""
    words = found[-1][1].split()
    if words[0] in AR_NOT_NAMES or words[0].startswith("لـ"):
        return ""
    if words[0] in AR_TITLES:
        words = words[1:]
        while words and words[0].startswith("ال"):
            words = words[1:]
    return " ".join(words) if len(words) >= 2 else ""


def arabic_names(blocks: list[str]) -> Counter[str]:
    """Speakers the article quotes, and recurring phrases opening with a title."""
    counts: Counter[str] = Counter()
    for text in blocks:
        for sentence in re.split(r"[.؟!]\s", text):
            for chunk in re.split(r"[«»\"“”]", sentence):
                if name := arabic_speaker(chunk + "،"):
                    counts[name] += 2
    phrases: Counter[str] = Counter()
    for text in blocks:
        for piece in re.split(r"[^\w\s]|\d", text):
            words = piece.split()
            for i, w in enumerate(words):
                if w in AR_TITLES:
                    for n in (2, 3):
                        phrase = words[i : i + n]
                        if len(phrase) == n and not set(phrase[1:]) & AR_NOT_NAMES:
                            phrases[" ".join(phrase)] += 1
    for phrase, c in phrases.items():
        longer = [p for p in phrases if p != phrase and p.startswith(phrase + " ")]
        if c >= 2 and not any(phrases[p] == c for p in longer):
            counts[phrase] += c
    return counts


def name_candidates(blocks: list[str], language: str, limit: int = 15) -> list[str]:
    """Names that occur more than once in `blocks` (headline and paragraphs), most frequent
    first; for Arabic, speakers and titled phrases."""
    counts = arabic_names(blocks) if language == "ar" else latin_names(blocks, language)
    first = {name: min(b.find(name) % 10**9 for b in blocks) for name in counts}
    order = {name: n for n, name in enumerate(counts)}
    # A name recurs when it appears twice, or when a longer name containing it does.
    total = Counter(counts)
    for name in counts:
        for other in counts:
            if other != name and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", other):
                total[name] += counts[other]
    recurring = [n for n, c in total.items() if c >= 2]
    recurring.sort(key=lambda n: (-total[n], first[n], order[n]))
    return recurring[:limit]


def latin_speaker(text: str, language: str) -> str:
    """The name at the start of `text`, a role before it dropped; "" if none."""
    toks = tokens(text)
    if not toks or not toks[0].capital or toks[0].start != len(text) - len(text.lstrip()):
        return ""
    run = next(iter(runs(text, toks)))
    first = run[0].word
    if first.lower() in PRONOUNS | STOPS.get(language, ALL_STOPS) and not first.isupper():
        return ""
    # the last segment after "of"/"the"/"for", then the role words before the name
    cut = max((n + 1 for n, t in enumerate(run) if t.word in ("of", "the", "for")), default=0)
    run = run[cut:]
    while run and (
        run[0].word.lower() in ROLES or run[0].word.isupper() or run[0].word.lower() in DAYS
    ):
        run = run[1:]
    return spell(text, run) if run else ""


def trailing_name(text: str, language: str) -> str:
    """The name that ends `text` (`In Rome, Blinken` ends with Blinken), or ""."""
    toks = tokens(text)
    last = [run for run in runs(text, toks) if run[-1].end == len(text)]
    return latin_speaker(text[last[0][0].start :], language) if last else ""


def speaker_hint(text: str, start: int, end: int, language: str) -> str:
    """Who the sentence around the quote text[start:end + 1] says spoke it, or ""."""
    head = text[:start]
    cut = max((m.end() for m in re.finditer(r"[.!?]\s", head)), default=0)
    before = head[cut:]
    after = text[end + 1 :]
    if language == "ar":
        if re.search(r"(?::|\s(?:إن|أن))\s*$", before):
            return arabic_speaker(
                before.rstrip()[:-1] + "،" if before.rstrip()[-1:] == ":" else before
            )
        return ""
    verbs = "|".join(VERBS.values()) if language not in VERBS else VERBS[language]
    if language != "en":
        verbs += "|" + VERBS["en"]
    verb = re.match(rf"[\s,،–—-]*(?:{verbs})(?!\w)", after)
    if verb:
        rest = after[verb.end() :]
        while True:
            skip = re.match(r"[\s,]*(\w+)", rest)
            if not skip or skip[1].lower() not in SKIPPED_AFTER_VERB:
                break
            rest = rest[skip.end() :]
        return latin_speaker(rest.lstrip(" ,"), language)
    if re.search(r":\s*$", before):
        lead = before.rstrip()[:-1]
        m = re.search(rf"(?:^|[\s,])(?:{verbs})\s+(.+)$", lead)
        if m:
            return latin_speaker(m[1], language)
        m = re.search(rf"^(.*?)\s+(?:{verbs})$", lead)
        return trailing_name(m[1] if m else lead.rstrip(), language)
    name_then_verb = re.match(r"[\s,]*([^.!?:;«»“”„\"]+?)\s+(?:" + verbs + r")(?!\w)", after)
    if name_then_verb and len(name_then_verb[1].split()) <= 6:
        return latin_speaker(name_then_verb[1], language)
    return ""
