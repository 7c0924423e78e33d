"""Built-in publisher boilerplate: what a browser copies from a news page beside the article.

Each pattern is named, so a site can switch it off (`boilerplate_off:` in `briefgen.yml`),
and anchored (`^…$`): it removes a whole paragraph that is only boilerplate, never a real
sentence that merely contains the word ("The advertisement campaign was launched…").
A `related` group becomes related reading and a `missing` group marks the seed truncated;
a `card` pattern with no `related` text takes the paragraph just before it (a headline
followed by "Read more") as the related reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Builtin:
    """One built-in boilerplate pattern."""

    name: str
    """What `boilerplate_off:` calls it."""
    removes: str
    """What it removes, for the README."""
    languages: str
    """Languages of the publishers it was written from."""
    regex: re.Pattern[str]
    """Anchored at both ends: the whole paragraph must match."""
    card: bool = False
    """When the match has no `related` text, the paragraph before it is the card's headline."""


def words(*alternatives: str) -> str:
    """A non-capturing alternation of literal phrases (spaces: any run of spaces)."""
    return "(?:" + "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in alternatives) + ")"


IGNORE = re.IGNORECASE
UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
PARTICLE = "de|da|di|du|van|von|der|den|del|la|le|al|el|bin|ibn"
NAME = rf"[{UPPER}][\w'’.-]*(?:\s+(?:{PARTICLE}|[{UPPER}][\w'’.-]*)){{0,4}}"
AND = r"(?:\s*,\s*|\s+(?:and|et|und|y|e)\s+|\s*&\s*)"
ARABIC_NAME = r"[\u0621-\u064a]+(?:\s+[\u0621-\u064a]+){0,4}"
SHARE_WORDS = words(
    "share",
    "partager",
    "teilen",
    "compartir",
    "on",
    "via",
    "by",
    "sur",
    "par",
    "auf",
    "per",
    "über",
    "en",
    "por",
    "no",
    "this",
    "the",
    "article",
    "story",
    "page",
    "cet",
    "cette",
    "l'article",
    "den",
    "artikel",
    "este",
    "artículo",
    "facebook",
    "twitter",
    "x",
    "whatsapp",
    "linkedin",
    "email",
    "e-mail",
    "mail",
    "messenger",
    "pinterest",
    "reddit",
    "telegram",
    "print",
    "copy",
    "link",
    "على",
    "عبر",
    "فيسبوك",
    "تويتر",
    "واتساب",
    "المقال",
    "الخبر",
    "هذا",
)
SEP = r"[\s,|·•:/]"

BUILTINS: tuple[Builtin, ...] = (
    Builtin(
        "le-monde-read-also",
        "Le Monde's 'Article reserved for our subscribers Read also …': "
        "the headline becomes related reading",
        "en (Le Monde in English)",
        re.compile(
            r"^(?:Article reserved for our subscribers\s+)?Read also\s*:?\s+(?P<related>.+)$"
        ),
    ),
    Builtin(
        "le-monde-paywall",
        "'You have N% of this article left to read…': marks the briefing partial",
        "en (Le Monde in English)",
        re.compile(
            r"^You have (?P<missing>\d+(?:[.,]\d+)?)\s*% of this article (?:left )?to read\. "
            r"The rest is for subscribers only\.?$"
        ),
    ),
    Builtin(
        "advertising",
        "advertising labels: Advertisement, Anzeige, Werbung, Publicité, Publicidad, إعلان",
        "en, de, fr, es, ar",
        re.compile(
            r"^\s*[-–—]?\s*"
            + words(
                "Advertisement",
                "Advertising",
                "Anzeige",
                "Werbung",
                "Publicité",
                "Publicidad",
                "إعلان",
                "Story continues below advertisement",
            )
            + r"(?:\s*[-–—:]?\s*scroll to continue(?: with content)?)?\s*[-–—]?\s*$",
            IGNORE,
        ),
    ),
    Builtin(
        "share-buttons",
        "share buttons: Share on Facebook, Share via Email, Partager, Teilen, Compartir, شارك",
        "en, fr, de, es, ar",
        re.compile(
            r"^\s*(?:"
            + words("Share", "Partager", "Teilen", "Compartir", "شارك", "مشاركة")
            + rf")(?:{SEP}+{SHARE_WORDS})*{SEP}*$",
            IGNORE,
        ),
    ),
    Builtin(
        "image-credits",
        "image credits and captions: Image copyright …, Image caption …, Credit…, Photo : …, "
        "Foto: …, Bild: …",
        "en, fr, de, es, ar",
        re.compile(
            r"^(?:Image (?:copyright|caption|source)\s*[:…]?\s+\S.*"
            r"|Credits?\s*(?:…|\.\.\.|:)\s*\S.{0,150}"
            r"|"
            + words(
                "Photo",
                "Photos",
                "Foto",
                "Fotos",
                "Bild",
                "Bilder",
                "Bildquelle",
                "Quelle",
                "Crédit photo",
                "Crédits photo",
                "Crédit",
                "Crédits",
                "Fuente",
                "Imagen",
                "صورة",
                "الصورة",
                "تصوير",
            )
            + r"\s*:\s*\S.{0,150})$"
        ),
    ),
    Builtin(
        "media-playback",
        "'Media playback is unsupported on your device'",
        "en (BBC)",
        re.compile(r"^Media playback is (?:unsupported|not supported) on your device\.?$", IGNORE),
    ),
    Builtin(
        "newsletter",
        "newsletter and subscription prompts: Sign up …, Free Sign Up, Abonnez-vous, "
        "Jetzt abonnieren, Suscríbete, اشترك",
        "en, fr, de, es, ar",
        re.compile(
            r"^(?:(?:Free\s+)?Sign\s+up|Subscribe|Abonnez-vous|Inscrivez-vous|"
            r"(?:Jetzt\s+)?(?:kostenlos\s+)?abonnieren|Suscríbete|Suscribirse|اشترك|"
            r"سجل)"
            r"(?:[\s!.:]*(?:now|here|today|maintenant|jetzt|ahora|gratis|الآن)?[\s!.:]*$"
            r"|\b[^.!?]{0,150}(?:newsletter|bulletin|lettre d'information|boletín|النشرة|"
            r"alerts?|notifications?|updates)[^.!?]{0,100}[.!]?$)",
            IGNORE,
        ),
    ),
    Builtin(
        "continue-reading",
        "'Continue reading the main story'",
        "en (NYT)",
        re.compile(r"^Continue reading (?:the main story|below)\.?$", IGNORE),
    ),
    Builtin(
        "read-more",
        "Read more / Lire aussi / Mehr zum Thema / Lea también / اقرأ أيضا cards: the headline "
        "on the same line, or the paragraph just before, becomes related reading",
        "en, fr, de, es, ar",
        re.compile(
            r"^"
            + words(
                "Read more",
                "Read also",
                "Lire aussi",
                "À lire aussi",
                "A lire aussi",
                "Lire également",
                "Mehr zum Thema",
                "Lesen Sie auch",
                "Lea también",
                "Lee también",
                "Le puede interesar",
                "اقرأ أيضا",
                "اقرأ أيضاً",
                "اقرأ أيضًا",
                "إقرأ أيضا",
                "اقرأ ايضا",
            )
            + r"(?![\w])[\s:：»›>|\-–—.…]*(?P<related>\S.*[^.\s])?\s*$",
            IGNORE,
        ),
        card=True,
    ),
    Builtin(
        "byline",
        "bylines alone on a line: By Jane Doe, Par …, Von …, Por …, بقلم …",
        "en, fr, de, es, ar",
        re.compile(
            rf"^(?:(?:By|Par|Von|Por)\s+{NAME}(?:{AND}{NAME})*"
            rf"|بقلم\s*:?\s*{ARABIC_NAME})\s*$"
        ),
    ),
    Builtin(
        "share-count",
        "share counts: 75,345 shares",
        "en, fr, es, ar",
        re.compile(
            r"^\d[\d,. \u00a0\u202f]*[KkM]?\s*"
            + words("shares", "share", "partages", "compartidos", "mal geteilt", "مشاركة")
            + r"$",
            IGNORE,
        ),
    ),
    Builtin(
        "ad-slot",
        "ad-slot identifiers: /3933714/TOI_Desktop/336x280_Middle_1",
        "any",
        re.compile(r"^/\d{3,}/[\w./-]+$"),
    ),
    Builtin(
        "gallery",
        "gallery labels: Slideshow ( 15 images ), Picture gallery - related image, "
        "Bildergalerie, Galerie photos, Galería de fotos, معرض الصور",
        "en, de, fr, es, ar",
        re.compile(
            r"^"
            + words(
                "Slideshow",
                "Photo gallery",
                "Picture gallery",
                "Gallery",
                "Bildergalerie",
                "Fotogalerie",
                "Galerie photos",
                "Galerie photo",
                "Diaporama",
                "Galería de fotos",
                "Galería",
                "Fotogalería",
                "معرض الصور",
                "ألبوم الصور",
            )
            + r"(?:\s*[-–—:]\s*related images?"
            r"|\s*\(\s*\d+\s*(?:images|photos|pictures|Bilder|Fotos|imágenes|صور)\s*\))?\s*$",
            IGNORE,
        ),
    ),
    Builtin(
        "standards",
        "publisher standards lines: Our Standards: The Thomson Reuters Trust Principles.",
        "en, fr, de, es, ar (Reuters)",
        re.compile(
            r"^(?:Our Standards|Nos standards|Unsere Standards|Nuestros Estándares|"
            r"Nuestras normas|معاييرنا)\s*:\s*.{0,100}(?:Thomson Reuters|تومسون رويترز).{0,40}$",
            IGNORE,
        ),
    ),
    Builtin(
        "related-coverage",
        "related-content headings: Related Coverage, Sur le même sujet, Verwandte Themen, "
        "Noticias relacionadas, مواضيع ذات صلة",
        "en, fr, de, es, ar",
        re.compile(
            r"^"
            + words(
                "Related Coverage",
                "Related Content",
                "Related Articles",
                "Related Stories",
                "Related",
                "Sur le même sujet",
                "Verwandte Themen",
                "Noticias relacionadas",
                "Contenido relacionado",
                "مواضيع ذات صلة",
                "أخبار ذات صلة",
            )
            + r"\s*:?\s*$",
            IGNORE,
        ),
    ),
)
"""In the order they are tried; Le Monde's come first, as before the others existed."""

BUILTIN_NAMES = tuple(b.name for b in BUILTINS)


def builtins(off: frozenset[str] | tuple[str, ...] = ()) -> tuple[Builtin, ...]:
    """The built-in patterns a site keeps on."""
    return tuple(b for b in BUILTINS if b.name not in off)


def is_byline(text: str) -> bool:
    """Whether a line is a byline alone ("By Jane Doe"), whether or not the site keeps the
    byline pattern on: the seed top skips one either way."""
    return BYLINE.regex.search(text) is not None


BYLINE = next(b for b in BUILTINS if b.name == "byline")
