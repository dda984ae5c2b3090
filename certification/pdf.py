"""The certificate as a one-page bilingual PDF (Chinese and English), with a QR code of its public
page.

Every label is printed in both languages: it is written once in English (a msgid) and rendered under
each language, so the Chinese comes from the catalogue like every other string. The PDF carries no
status: the live status is on the page the QR code opens.

The font: `CERTIFICATE_PDF_FONT` when set, else the first Noto Sans CJK SC / Source Han Sans SC
found in the usual system places (full coverage), else the subset vendored in `fonts/` (GB 2312 +
ASCII, see docs/dependencies.md). The choice is made once per process.
"""

import functools
import logging
from dataclasses import dataclass
from pathlib import Path

import segno
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from fontTools.ttLib import TTCollection
from fpdf import FPDF

from .choices import SchemeLevel
from .models import Certificate

VENDORED_FONT = Path(__file__).resolve().parent / "fonts" / "NotoSansSC-GB2312.otf"
SYSTEM_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/source-han-sans/SourceHanSansSC-Regular.otf",
    "/usr/share/fonts/adobe-source-han-sans/SourceHanSansSC-Regular.otf",
    "/Library/Fonts/NotoSansCJKsc-Regular.otf",
)
FONT = "certificate"
# fpdf2 subsets the font when it writes a PDF; the subsetter logs every glyph list at INFO.
logging.getLogger("fontTools").setLevel(logging.WARNING)
MAX_PRODUCT_ROWS = 10
MAX_SCOPE_CHARACTERS = 300  # one page: the full scope is on the certificate's page

PLATFORM = _("Sichuan Agri-Trade Service Platform")
TITLE = _("Certificate")
LABELS = {
    "number": _("Certificate number"),
    "holder": _("Holder"),
    "uscc": _("Unified social credit code"),
    "prefecture": _("Prefecture"),
    "scheme": _("Scheme"),
    "level": _("Level"),
    "issuer": _("Issuer"),
    "scope": _("Scope"),
    "products": _("Products"),
    "issued": _("Issue date"),
    "expires": _("Expiry date"),
}
LIVE_STATUS = _(
    "The live status of this certificate (valid, suspended, revoked or expired) is on the page "
    "this QR code opens; this PDF does not change when the status does."
)


@dataclass(frozen=True)
class CertificateFont:
    path: Path
    face: int = 0


def in_both(text) -> tuple[str, str]:
    """(Chinese, English) of a translatable text."""
    with translation.override("zh-hans"):
        chinese = str(text)
    with translation.override("en"):
        english = str(text)
    return chinese, english


def verify_url(certificate: Certificate) -> str:
    path = reverse("public:certificate", kwargs={"number": certificate.number})
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{path}"


def _simplified_chinese_face(path: Path) -> int:
    """The index of the Simplified Chinese face of a font collection (0 when none is named SC)."""
    collection = TTCollection(str(path), lazy=True)
    for index, font in enumerate(collection.fonts):
        family = font["name"].getDebugName(1) or ""
        if family.endswith(" SC"):
            return index
    return 0


def _font_at(path: Path) -> CertificateFont:
    if path.suffix.lower() in (".ttc", ".otc"):
        return CertificateFont(path, _simplified_chinese_face(path))
    return CertificateFont(path)


@functools.cache
def certificate_font() -> CertificateFont:
    """The font the certificates are printed in, chosen once per process."""
    configured = getattr(settings, "CERTIFICATE_PDF_FONT", "")
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise ImproperlyConfigured(
                f"CERTIFICATE_PDF_FONT names {configured}, which is not a file: certificate PDFs "
                "need a font with Chinese characters (Noto Sans CJK SC or Source Han Sans SC)."
            )
        return _font_at(path)
    for candidate in map(Path, SYSTEM_FONTS):
        if candidate.is_file():
            return _font_at(candidate)
    if VENDORED_FONT.is_file():
        return CertificateFont(VENDORED_FONT)
    raise ImproperlyConfigured(
        "No font with Chinese characters for certificate PDFs: install fonts-noto-cjk or set "
        "CERTIFICATE_PDF_FONT to a Noto Sans CJK SC / Source Han Sans SC file."
    )


class CertificatePdf(FPDF):
    MARGIN = 18
    LABEL_WIDTH = 52

    def __init__(self):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        font = certificate_font()
        self.add_font(FONT, fname=font.path, collection_font_number=font.face)
        self.set_margins(self.MARGIN, self.MARGIN, self.MARGIN)
        self.set_auto_page_break(False)
        self.set_text_color(33, 37, 41)
        self.add_page()

    @property
    def content_width(self) -> float:
        return self.w - 2 * self.MARGIN

    def text_line(self, text: str, *, size: float, height: float, grey: bool = False, **kwargs):
        self.set_font(FONT, size=size)
        self.set_text_color(*((108, 117, 125) if grey else (33, 37, 41)))
        self.multi_cell(self.content_width, height, text, new_x="LMARGIN", new_y="NEXT", **kwargs)
        self.set_text_color(33, 37, 41)

    def heading(self, number: str):
        chinese, english = in_both(PLATFORM)
        self.text_line(f"{chinese}  {english}", size=9, height=5, grey=True, align="C")
        self.ln(4)
        chinese, english = in_both(TITLE)
        self.text_line(chinese, size=26, height=12, align="C")
        self.text_line(english, size=16, height=8, align="C")
        self.ln(3)
        self.text_line(number, size=15, height=8, align="C")
        self.ln(2)
        self.set_draw_color(206, 212, 218)
        self.line(self.MARGIN, self.get_y(), self.w - self.MARGIN, self.get_y())
        self.ln(4)

    def fact(self, key: str, *values: str):
        """A labelled fact: the label in both languages on the left, the value lines on the right."""
        chinese, english = in_both(LABELS[key])
        top = self.get_y()
        self.set_font(FONT, size=9)
        self.set_text_color(108, 117, 125)
        self.multi_cell(self.LABEL_WIDTH, 4.5, f"{chinese}\n{english}", new_x="RIGHT", new_y="TOP")
        label_bottom = top + 9
        self.set_xy(self.MARGIN + self.LABEL_WIDTH, top)
        self.set_font(FONT, size=10.5)
        self.set_text_color(33, 37, 41)
        lines = "\n".join(value for value in values if value) or "-"
        # Left-aligned: fpdf2 justifies by default, which stretches mixed Chinese and Latin lines.
        self.multi_cell(
            self.content_width - self.LABEL_WIDTH,
            5,
            lines,
            new_x="LMARGIN",
            new_y="NEXT",
            align="L",
        )
        self.set_y(max(self.get_y(), label_bottom) + 1.5)

    def qr_code(self, url: str, *, x: float, y: float, size: float):
        """The QR code as vector rectangles (one per run of dark modules), quiet zone included."""
        matrix = segno.make(url, error="m").matrix
        quiet = 4
        module = size / (len(matrix) + 2 * quiet)
        self.set_fill_color(0, 0, 0)
        for row_index, row in enumerate(matrix):
            column = 0
            while column < len(row):
                if not row[column]:
                    column += 1
                    continue
                start = column
                while column < len(row) and row[column]:
                    column += 1
                self.rect(
                    x + (quiet + start) * module,
                    y + (quiet + row_index) * module,
                    (column - start) * module,
                    module,
                    style="F",
                )

    def footer_block(self, url: str):
        size = 42
        top = self.h - self.MARGIN - size
        self.set_draw_color(206, 212, 218)
        self.line(self.MARGIN, top - 4, self.w - self.MARGIN, top - 4)
        self.qr_code(url, x=self.MARGIN, y=top, size=size)
        text_x = self.MARGIN + size + 4
        width = self.w - self.MARGIN - text_x
        self.set_xy(text_x, top + 3)
        self.set_font(FONT, size=10)
        self.multi_cell(width, 5, url, new_x="LEFT", new_y="NEXT", align="L")
        self.set_xy(text_x, self.get_y() + 2)
        chinese, english = in_both(LIVE_STATUS)
        self.set_font(FONT, size=9)
        self.set_text_color(108, 117, 125)
        self.multi_cell(width, 4.5, f"{chinese}\n{english}", new_x="LEFT", new_y="NEXT", align="L")


def _level_in_both(scheme) -> tuple[str, str]:
    return in_both(SchemeLevel(scheme.level).label)


def _product_lines(certificate: Certificate) -> list[str]:
    products = list(certificate.scope_products.order_by("name_zh", "id"))
    lines = [
        " / ".join(part for part in (p.name_zh, p.name_en) if part) + f" (HS {p.hs_code_id})"
        for p in products[:MAX_PRODUCT_ROWS]
    ]
    hidden = len(products) - MAX_PRODUCT_ROWS
    if hidden > 0:
        lines.append(f"… +{hidden}")
    return lines


def certificate_pdf_bytes(certificate: Certificate) -> bytes:
    """The certificate as a one-page A4 PDF, both languages on the page."""
    enterprise, scheme = certificate.enterprise, certificate.scheme
    prefecture = enterprise.prefecture
    url = verify_url(certificate)
    pdf = CertificatePdf()
    pdf.set_title(certificate.number)
    pdf.set_creator(in_both(PLATFORM)[1])
    pdf.set_creation_date(certificate.created_at)
    pdf.heading(certificate.number)
    pdf.fact("holder", enterprise.name_zh, enterprise.name_en)
    pdf.fact("uscc", enterprise.uscc)
    if prefecture is not None:
        pdf.fact("prefecture", prefecture.name_zh, prefecture.name_en)
    pdf.fact("scheme", scheme.name_zh, scheme.name_en)
    pdf.fact("level", *_level_in_both(scheme))
    if scheme.issuer:
        pdf.fact("issuer", scheme.issuer)
    pdf.fact("scope", Truncator(certificate.scope_summary).chars(MAX_SCOPE_CHARACTERS))
    product_lines = _product_lines(certificate)
    if product_lines:
        pdf.fact("products", *product_lines)
    pdf.fact("issued", certificate.issue_date.isoformat())
    pdf.fact("expires", certificate.expiry_date.isoformat())
    pdf.footer_block(url)
    return bytes(pdf.output())
